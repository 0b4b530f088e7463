// The function app on Flex Consumption: pay per use, scaled per Event Hubs partition, with
// always-ready instances for the telemetry function (the answer to Java's cold start). Its
// package comes from a blob container of the host account, read as the app's identity.
param planName string
param appName string
param location string
param tags object
param identityId string
param deploymentContainerUrl string
@allowed([
  '17'
  '21'
])
param javaVersion string
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int
@minValue(0)
param alwaysReadyTelemetryInstances int
@description('App setting name to value')
param settings object

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  tags: union(tags, {
    'azd-service-name': 'api'
  })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        alwaysReady: alwaysReadyTelemetryInstances == 0 ? [] : [
          {
            name: 'function:telemetry'
            instanceCount: alwaysReadyTelemetryInstances
          }
        ]
      }
      runtime: {
        name: 'java'
        version: javaVersion
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [for setting in items(settings): {
        name: setting.key
        value: setting.value
      }]
    }
  }
}

output name string = app.name
output defaultHostName string = app.properties.defaultHostName
