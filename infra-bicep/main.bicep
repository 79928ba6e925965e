// Reporting: the follow-up backend of the 7th Science, Technology and Innovation Basic Plan.
// One resource group: a storage account (data, reports, deployment packages), a Flex Consumption function app running
// the .NET isolated worker (dotnet-isolated 10.0), a user-assigned managed identity holding only the storage roles it
// needs, and workspace-based Application Insights. No storage keys anywhere: shared-key access is disabled.

targetScope = 'resourceGroup'

@description('Azure region. Japan East by default: the data is Japanese official statistics.')
param location string = resourceGroup().location

@description('Short lowercase prefix for resource names (3–11 letters or digits).')
@minLength(3)
@maxLength(11)
param namePrefix string = 'stip7rpt'

@description('Microsoft Entra tenant that issues the API tokens.')
param entraTenantId string = tenant().tenantId

@description('Application ID URI (audience) of the API app registration, e.g. api://reporting.')
param apiAudience string

@description('NCRONTAB (six fields, UTC) of the AnnualReport timer. Default: 1 June 00:00 UTC = 09:00 JST.')
param annualReportSchedule string = '0 0 0 1 6 *'

@description('Issuing body printed on the report cover.')
param reportPublisher string = '内閣府 科学技術・イノベーション推進事務局'

@description('Application (client) ID of the API app registration: the audience of v2 access tokens (v1 tokens carry apiAudience).')
param apiClientId string

@description('Paths App Service Authentication leaves to the app: the API, which takes bearer tokens.')
param easyAuthExcludedPaths array = [
  '/api/*'
]

// Microsoft's Flex Consumption stack for .NET isolated (Microsoft.Web/locations/functionAppStacks, FC1 sku):
// functionAppConfigProperties.runtime = { name: 'dotnet-isolated', version: '10.0' } (8.0 and 9.0 are the others),
// maximumInstanceCount 40–1000 (default 100), instanceMemoryMB 512, 2048 (default) or 4096. Check the region:
// az functionapp list-flexconsumption-runtimes --location <region> --runtime dotnet-isolated.
@description('Version of the Flex Consumption dotnet-isolated runtime: the .NET the worker is built for (net10.0).')
@allowed(['10.0'])
param dotnetVersion string = '10.0'

@description('Maximum instances the Flex Consumption plan may scale out to (FC1 allows 40–1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory of each instance in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

var suffix = uniqueString(resourceGroup().id, namePrefix)
var storageName = take('${namePrefix}${suffix}', 24)
var deploymentContainer = 'deployments'
var reportsContainer = 'reports'

// Built-in role definition ids.
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: '${namePrefix}-id'
  location: location
}

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' = {
  name: storageName
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_ZRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    publicNetworkAccess: 'Enabled'
    encryption: {
      keySource: 'Microsoft.Storage'
      services: {
        blob: { enabled: true }
        table: { enabled: true }
      }
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-06-01' = {
  parent: storage
  name: 'default'
  properties: {
    // Reports are official records: deleted blobs stay recoverable for 30 days.
    deleteRetentionPolicy: { enabled: true, days: 30 }
    containerDeleteRetentionPolicy: { enabled: true, days: 30 }
  }
}

resource deployments 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = {
  parent: blobService
  name: deploymentContainer
  properties: { publicAccess: 'None' }
}

resource reports 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = {
  parent: blobService
  name: reportsContainer
  properties: { publicAccess: 'None' }
}

resource storageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in [
  roles.storageBlobDataOwner // host state, timer leases, deployment package, reports
  roles.storageTableDataContributor // indicator catalog and submitted values
  roles.storageQueueDataContributor // host internals (timer and blob triggers)
]: {
  name: guid(storage.id, identity.id, role)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}]

resource logs 'Microsoft.OperationalInsights/workspaces@2025-02-01' = {
  name: '${namePrefix}-logs'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 90
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${namePrefix}-ai'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    DisableLocalAuth: true
  }
}

resource insightsRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, identity.id, roles.monitoringMetricsPublisher)
  scope: insights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: '${namePrefix}-plan'
  location: location
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2025-03-01' = {
  name: '${namePrefix}-${suffix}'
  location: location
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      // The .NET isolated worker: the platform starts Reporting.dll (worker.config.json) on its own .NET 10.
      runtime: {
        name: 'dotnet-isolated'
        version: dotnetVersion
      }
    }
    // Flex Consumption rejects the App Service site properties it does not use (ftpsState, linuxFxVersion, alwaysOn,
    // use32BitWorkerProcess, …: ARM error 51021) and ignores the deprecated app settings (FUNCTIONS_WORKER_RUNTIME, …):
    // tests/Reporting.Tests/Infra/BicepTests.cs checks this template against Microsoft's list. FTP is not offered on
    // Flex at all, so there is nothing to disable.
    siteConfig: {
      minTlsVersion: '1.2'
      http20Enabled: true
      appSettings: [
        // Identity-based host storage: no connection string, no key.
        { name: 'AzureWebJobsStorage__accountName', value: storage.name }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identity.properties.clientId }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identity.properties.clientId};Authorization=AAD' }
        { name: 'AnnualReportSchedule', value: annualReportSchedule }
        // The app's own data, through the same identity.
        { name: 'Storage__AccountName', value: storage.name }
        { name: 'Storage__ClientId', value: identity.properties.clientId }
        { name: 'Storage__ReportsContainer', value: reportsContainer }
        // Tokens from Microsoft Entra ID, v1 and v2, of this tenant only; no development key is ever set in Azure.
        { name: 'Auth__Instance', value: environment().authentication.loginEndpoint }
        { name: 'Auth__TenantId', value: entraTenantId }
        { name: 'Auth__Audience', value: apiAudience }
        { name: 'Auth__ClientId', value: apiClientId }
        { name: 'Report__Publisher', value: reportPublisher }
        // The web interface: people sign in with App Service Authentication (below); its principal is believed on the
        // pages only, never under /api, which Easy Auth leaves to the app's own bearer-token validation.
        { name: 'Auth__TrustAppServiceAuthentication', value: 'true' }
        { name: 'Auth__AppServiceExcludedPaths', value: join(easyAuthExcludedPaths, ',') }
        // Easy Auth signs in as the API's app registration without a client secret: the registration trusts this
        // managed identity through a federated identity credential (README, "Signing in to the web interface").
        { name: 'OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID', value: identity.properties.clientId }
        // The site's root is the web interface's start page, not the Functions host's default page.
        { name: 'AzureWebJobsDisableHomepage', value: 'true' }
      ]
    }
  }
  dependsOn: [
    storageRoles
    insightsRole
    deployments
  ]
}

// App Service Authentication (Easy Auth) with Microsoft Entra ID for the web interface: the browser holds Easy Auth's
// session cookie (AppServiceAuthSession), never a token. Anonymous requests still reach the app, which sends a person
// to /.auth/login/aad and answers a program 401 itself. /api/* is excluded: the API keeps taking bearer tokens (v1 and
// v2 access tokens of the tenant, validated by the app), untouched by Easy Auth.
resource easyAuth 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: app
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
      excludedPaths: easyAuthExcludedPaths
    }
    httpSettings: {
      requireHttps: true
      forwardProxy: {
        convention: 'NoProxy'
      }
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          openIdIssuer: '${environment().authentication.loginEndpoint}${entraTenantId}/v2.0'
          clientId: apiClientId
          clientSecretSettingName: 'OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID'
        }
        validation: {
          allowedAudiences: [
            apiAudience
            apiClientId
          ]
          defaultAuthorizationPolicy: {
            allowedApplications: []
          }
        }
      }
    }
    login: {
      // Nothing of the sign-in is kept beyond the session: the app reads the principal, never the tokens.
      tokenStore: {
        enabled: false
      }
      cookieExpiration: {
        convention: 'FixedTime'
        timeToExpiration: '08:00:00'
      }
    }
  }
}

output functionAppName string = app.name
output webUrl string = 'https://${app.properties.defaultHostName}/'
output signInRedirectUri string = 'https://${app.properties.defaultHostName}/.auth/login/aad/callback'
output managedIdentityPrincipalId string = identity.properties.principalId
output apiBaseUrl string = 'https://${app.properties.defaultHostName}/api'
output storageAccountName string = storage.name
output managedIdentityClientId string = identity.properties.clientId
