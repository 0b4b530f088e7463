// Parameters of one environment; secrets come from the environment (azd env set, or export),
// never from this file.
using 'main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'dev')
param location = readEnvironmentVariable('AZURE_LOCATION', 'westeurope')
param telemetrySenderPrincipalId = readEnvironmentVariable('SENSORCHAT_TELEMETRY_SENDER', '')
param genericWebhookSecret = readEnvironmentVariable('GENERIC_WEBHOOK_SECRET', '')
param telegramWebhookSecret = readEnvironmentVariable('TELEGRAM_WEBHOOK_SECRET', '')
param telegramBotToken = readEnvironmentVariable('TELEGRAM_BOT_TOKEN', '')
param teamsSecurityToken = readEnvironmentVariable('TEAMS_SECURITY_TOKEN', '')
param teamsIncomingWebhookUrl = readEnvironmentVariable('TEAMS_INCOMING_WEBHOOK_URL', '')
param slackSigningSecret = readEnvironmentVariable('SLACK_SIGNING_SECRET', '')
param slackIncomingWebhookUrl = readEnvironmentVariable('SLACK_INCOMING_WEBHOOK_URL', '')
param slackBotToken = readEnvironmentVariable('SLACK_BOT_TOKEN', '')
param authTenantId = readEnvironmentVariable('SENSORCHAT_AUTH_TENANT_ID', '')
param authApiClientId = readEnvironmentVariable('SENSORCHAT_AUTH_API_CLIENT_ID', '')
param authDashboardClientId = readEnvironmentVariable('SENSORCHAT_AUTH_DASHBOARD_CLIENT_ID', '')
