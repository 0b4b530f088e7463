// Cosmos DB for NoSQL, keys disabled: the app reads and writes with its identity (Built-in Data
// Contributor). Data roles cannot create containers, so they are all declared here, each with the
// partition key, default TTL and indexing policy that storage/Containers.java gives it.
param accountName string
param databaseName string
param location string
param tags object
param appPrincipalId string
@description('Serverless (pay per request); false: provisioned autoscale throughput on the database')
param serverless bool
param autoscaleMaxThroughput int

@description('name, partitionKey, defaultTtl (seconds, -1 for per-item TTL, null for none), notIndexed (paths)')
param containers array

var builtInDataContributor = '00000000-0000-0000-0000-000000000002'

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: accountName
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    disableLocalAuth: true
    minimalTlsVersion: 'Tls12'
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    capabilities: serverless ? [
      {
        name: 'EnableServerless'
      }
    ] : []
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-11-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: {
      id: databaseName
    }
    options: serverless ? {} : {
      autoscaleSettings: {
        maxThroughput: autoscaleMaxThroughput
      }
    }
  }
}

resource sqlContainers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = [for container in containers: {
  parent: database
  name: container.name
  properties: {
    resource: {
      id: container.name
      partitionKey: {
        paths: [
          container.partitionKey
        ]
        kind: 'Hash'
      }
      defaultTtl: container.defaultTtl
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: contains(container.notIndexed, '/*') ? [] : [
          {
            path: '/*'
          }
        ]
        excludedPaths: union(map(container.notIndexed, path => { path: path }), contains(container.notIndexed, '/*') ? [] : [
          {
            path: '/"_etag"/?'
          }
        ])
      }
    }
  }
}]

resource dataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = {
  parent: account
  name: guid(account.id, appPrincipalId, builtInDataContributor)
  properties: {
    roleDefinitionId: '${account.id}/sqlRoleDefinitions/${builtInDataContributor}'
    principalId: appPrincipalId
    scope: account.id
  }
}

output endpoint string = account.properties.documentEndpoint
