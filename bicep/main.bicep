// sensorchat in one resource group: the function app on Flex Consumption and everything it
// uses, reached only through one user-assigned identity (no keys, no connection strings).
targetScope = 'resourceGroup'

@minLength(1)
@maxLength(20)
@description('Environment name (azd): part of every resource name')
param environmentName string
param location string = resourceGroup().location

@allowed([
  '17'
  '21'
])
param javaVersion string = '17'
param maximumInstanceCount int = 40
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048
@description('Always-ready instances for the telemetry function: no cold start on the hot path')
param alwaysReadyTelemetryInstances int = 1

@description('Cosmos DB serverless (pay per request); false: autoscale throughput on the database')
param cosmosServerless bool = true
param cosmosAutoscaleMaxThroughput int = 1000

param eventHubPartitions int = 4
param eventHubRetentionDays int = 1
param eventHubAutoInflate bool = false
param eventHubMaximumThroughputUnits int = 4
@description('A user or group allowed to send telemetry (simulators on a developer machine); empty for none')
param telemetrySenderPrincipalId string = ''

param deadLetterTtlDays int = 30

@secure()
param genericWebhookSecret string = ''
@secure()
param telegramWebhookSecret string = ''
@secure()
param telegramBotToken string = ''
@secure()
param teamsSecurityToken string = ''
@secure()
param teamsIncomingWebhookUrl string = ''
@secure()
param slackSigningSecret string = ''
@secure()
param slackIncomingWebhookUrl string = ''
@secure()
param slackBotToken string = ''
param genericCallbackUrl string = ''

// Sign-in for the dashboard and the web chat (Entra ID). App registrations need directory rights,
// so the templates register nothing: create them first (README, "Sign-in"), then pass their ids.
@description('Directory (tenant) id whose users sign in; empty: sign-in off, the /app/api routes answer 401')
param authTenantId string = ''
@description('Application (client) id of the API registration: the audience of its access tokens')
param authApiClientId string = ''
@description('Application (client) id of the dashboard (SPA) registration; empty: the API registration')
param authDashboardClientId string = ''

var suffix = uniqueString(subscription().id, resourceGroup().id, environmentName)
var tags = {
  'azd-env-name': environmentName
  app: 'sensorchat'
}
var names = {
  identity: 'id-sensorchat-${environmentName}'
  workspace: 'log-sensorchat-${environmentName}'
  insights: 'appi-sensorchat-${environmentName}'
  hostStorage: take('sthost${suffix}', 24)
  dataStorage: take('stdata${suffix}', 24)
  cosmos: 'cosmos-sensorchat-${suffix}'
  eventHubs: 'evhns-sensorchat-${suffix}'
  keyVault: take('kv-sc-${suffix}', 24)
  plan: 'plan-sensorchat-${environmentName}'
  app: 'func-sensorchat-${suffix}'
}
var databaseName = 'sensorchat'
var hubName = 'telemetry'
var consumerGroupName = 'sensorchat'
var blobContainers = {
  deployment: 'app-package'
  deadLetters: 'telemetry-deadletters'
  uploads: 'telemetry-uploads'
  reports: 'reports'
}

// The Cosmos DB containers, exactly as storage/Containers.java declares them (BicepDriftTest
// fails when the two differ, and prints what this file should say).
var cosmosContainers = loadJsonContent('cosmos-containers.json')

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    workspaceName: names.workspace
    insightsName: names.insights
    location: location
    tags: tags
    appPrincipalId: identity.outputs.principalId
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    hostAccountName: names.hostStorage
    dataAccountName: names.dataStorage
    location: location
    tags: tags
    appPrincipalId: identity.outputs.principalId
    deploymentContainerName: blobContainers.deployment
    deadLetterContainerName: blobContainers.deadLetters
    uploadsContainerName: blobContainers.uploads
    reportsContainerName: blobContainers.reports
    deadLetterTtlDays: deadLetterTtlDays
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  params: {
    accountName: names.cosmos
    databaseName: databaseName
    location: location
    tags: tags
    appPrincipalId: identity.outputs.principalId
    serverless: cosmosServerless
    autoscaleMaxThroughput: cosmosAutoscaleMaxThroughput
    containers: cosmosContainers
  }
}

module eventHubs 'modules/eventhubs.bicep' = {
  name: 'eventhubs'
  params: {
    namespaceName: names.eventHubs
    hubName: hubName
    consumerGroupName: consumerGroupName
    location: location
    tags: tags
    appPrincipalId: identity.outputs.principalId
    senderPrincipalId: telemetrySenderPrincipalId
    partitionCount: eventHubPartitions
    retentionDays: eventHubRetentionDays
    autoInflate: eventHubAutoInflate
    maximumThroughputUnits: eventHubMaximumThroughputUnits
  }
}

// App setting -> Key Vault secret name. A setting whose secret is empty stays empty.
var secretSettings = {
  GENERIC_WEBHOOK_SECRET: {
    secret: 'generic-webhook-secret'
    value: genericWebhookSecret
  }
  TELEGRAM_WEBHOOK_SECRET: {
    secret: 'telegram-webhook-secret'
    value: telegramWebhookSecret
  }
  TELEGRAM_BOT_TOKEN: {
    secret: 'telegram-bot-token'
    value: telegramBotToken
  }
  TEAMS_SECURITY_TOKEN: {
    secret: 'teams-security-token'
    value: teamsSecurityToken
  }
  TEAMS_INCOMING_WEBHOOK_URL: {
    secret: 'teams-incoming-webhook-url'
    value: teamsIncomingWebhookUrl
  }
  SLACK_SIGNING_SECRET: {
    secret: 'slack-signing-secret'
    value: slackSigningSecret
  }
  SLACK_INCOMING_WEBHOOK_URL: {
    secret: 'slack-incoming-webhook-url'
    value: slackIncomingWebhookUrl
  }
  SLACK_BOT_TOKEN: {
    secret: 'slack-bot-token'
    value: slackBotToken
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: names.keyVault
    location: location
    tags: tags
    appPrincipalId: identity.outputs.principalId
    secrets: toObject(items(secretSettings), s => s.value.secret, s => s.value.value)
  }
}

var identitySettings = {
  credential: 'managedidentity'
  clientId: identity.outputs.clientId
}

var secretReferences = toObject(items(secretSettings), s => s.key,
  s => empty(s.value.value) ? '' : '@Microsoft.KeyVault(VaultName=${names.keyVault};SecretName=${s.value.secret})')

var appSettings = union({
  // The host's own storage, through the identity
  AzureWebJobsStorage__blobServiceUri: storage.outputs.hostBlobEndpoint
  AzureWebJobsStorage__queueServiceUri: storage.outputs.hostQueueEndpoint
  AzureWebJobsStorage__tableServiceUri: storage.outputs.hostTableEndpoint
  AzureWebJobsStorage__credential: identitySettings.credential
  AzureWebJobsStorage__clientId: identitySettings.clientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identitySettings.clientId};Authorization=AAD'
  // The Java agent collects the app's OpenTelemetry metrics into customMetrics; the README's
  // queries read the host's traces, which do not depend on it (ApplicationInsights-Java#4712)
  APPLICATIONINSIGHTS_ENABLE_AGENT: 'true'
  JAVA_ENABLE_SDK_TYPES: 'true'

  // Connections of the app, identity-based
  CosmosDb__accountEndpoint: cosmos.outputs.endpoint
  CosmosDb__credential: identitySettings.credential
  CosmosDb__clientId: identitySettings.clientId
  DataStorage__blobServiceUri: storage.outputs.dataBlobEndpoint
  DataStorage__credential: identitySettings.credential
  DataStorage__clientId: identitySettings.clientId
  TelemetryEventHub__fullyQualifiedNamespace: eventHubs.outputs.fullyQualifiedNamespace
  TelemetryEventHub__credential: identitySettings.credential
  TelemetryEventHub__clientId: identitySettings.clientId

  // Everything else the code reads (defaults as in local.settings.json.example)
  COSMOS_DATABASE: databaseName
  COSMOS_CONNECTION_MODE: 'direct'
  COSMOS_ENDPOINT_DISCOVERY: 'true'
  AUTO_CREATE_RESOURCES: 'false' // data roles cannot create databases or containers: they are declared above
  DEADLETTER_CONTAINER: blobContainers.deadLetters
  UPLOADS_CONTAINER: blobContainers.uploads
  REPORTS_CONTAINER: blobContainers.reports
  TELEMETRY_HUB: eventHubs.outputs.hubName
  TELEMETRY_CONSUMER_GROUP: eventHubs.outputs.consumerGroupName
  HEALTH_TIMEOUT_MS: '3000'
  PRELOAD_CLASSES: 'true' // loads the first answers' classes on a second processor, if the instance has one
  TELEMETRY_ALLOWED_LATENESS_MINUTES: '10'
  UPLOAD_MAX_AGE_HOURS: '168'
  MINUTE_WINDOW_TTL_DAYS: '7'
  HOUR_WINDOW_TTL_DAYS: '400'
  RULES_REFRESH_SECONDS: '10'
  TELEMETRY_WRITE_CONCURRENCY: '8'
  TELEMETRY_FLUSH_SECONDS: '60'
  TELEMETRY_IDLE_FLUSH_SECONDS: '30'
  DEVICE_SILENT_AFTER_MINUTES: '15'
  DEVICE_SILENT_FACTOR: '3'
  DEVICE_SILENT_FACTOR_OVERRIDES: ''
  DEVICE_OFFLINE_SEVERITY: 'warning'
  SILENT_DEVICES_SCHEDULE: '0 */5 * * * *'
  SILENT_DEVICES_MAX_PER_RUN: '2000'
  REPORT_SCHEDULE: '0 15 0 * * *'
  REPORT_CATCH_UP_DAYS: '7'
  RETENTION_SCHEDULE: '0 45 0 * * *'
  DEADLETTER_TTL_DAYS: string(deadLetterTtlDays)
  IDEMPOTENCY_TTL_DAYS: '7'
  GENERIC_CALLBACK_URL: genericCallbackUrl
  TELEGRAM_API_BASE_URL: 'https://api.telegram.org'
  SLACK_API_BASE_URL: 'https://slack.com/api'
  AUTH_ISSUER: empty(authTenantId) ? '' : '${environment().authentication.loginEndpoint}${authTenantId}/v2.0'
  AUTH_AUDIENCE: authApiClientId
  AUTH_CLIENT_ID: empty(authDashboardClientId) ? authApiClientId : authDashboardClientId
  AUTH_SCOPE: empty(authApiClientId) ? '' : 'api://${authApiClientId}/access_as_user'
  AUTH_CLOCK_SKEW_SECONDS: '60'
}, secretReferences)

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    planName: names.plan
    appName: names.app
    location: location
    tags: tags
    identityId: identity.outputs.id
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    javaVersion: javaVersion
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    alwaysReadyTelemetryInstances: alwaysReadyTelemetryInstances
    settings: appSettings
  }
  dependsOn: [
    keyVault
  ]
}

var apiBase = 'https://${functionApp.outputs.defaultHostName}/api'

output API_BASE_URL string = apiBase
output TELEGRAM_WEBHOOK_URL string = '${apiBase}/chat/telegram'
output TEAMS_WEBHOOK_URL string = '${apiBase}/chat/teams'
output SLACK_WEBHOOK_URL string = '${apiBase}/chat/slack'
output GENERIC_WEBHOOK_URL string = '${apiBase}/chat/generic'
output EVENTHUB_NAMESPACE string = eventHubs.outputs.fullyQualifiedNamespace
output EVENTHUB_NAME string = eventHubs.outputs.hubName
output DATA_STORAGE_ACCOUNT string = storage.outputs.dataAccountName
output FUNCTION_APP_NAME string = functionApp.outputs.name
output DATA_EVENTS_TOPIC string = storage.outputs.dataEventsTopicName
output UPLOADS_CONTAINER string = blobContainers.uploads
