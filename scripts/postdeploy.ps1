# azd postdeploy hook (Windows): subscribes the uploads function to the data account's blob
# events. The subscription needs the blobs extension key, which exists only once the app runs.
$ErrorActionPreference = 'Stop'
foreach ($name in 'AZURE_RESOURCE_GROUP', 'FUNCTION_APP_NAME', 'DATA_EVENTS_TOPIC', 'UPLOADS_CONTAINER') {
    if (-not (Get-Item "env:$name" -ErrorAction SilentlyContinue)) { throw "postdeploy: $name is not set" }
}
$group = $env:AZURE_RESOURCE_GROUP
$app = $env:FUNCTION_APP_NAME

$key = ''
for ($attempt = 1; $attempt -le 10 -and -not $key; $attempt++) {
    $key = az functionapp keys list -g $group -n $app --query 'systemKeys.blobs_extension' -o tsv 2>$null
    if (-not $key) {
        Write-Host "postdeploy: waiting for the blobs extension key (attempt $attempt)"
        Start-Sleep -Seconds 15
    }
}
if (-not $key) { throw 'postdeploy: the app has no blobs_extension key yet; run this script again once it has started' }

$hostName = az functionapp show -g $group -n $app --query defaultHostName -o tsv
$endpoint = "https://$hostName/runtime/webhooks/blobs?functionName=Host.Functions.uploads&code=$key"

az eventgrid system-topic event-subscription create `
    --resource-group $group `
    --system-topic-name $env:DATA_EVENTS_TOPIC `
    --name uploads `
    --endpoint-type webhook `
    --endpoint $endpoint `
    --included-event-types Microsoft.Storage.BlobCreated `
    --subject-begins-with "/blobServices/default/containers/$($env:UPLOADS_CONTAINER)/" `
    --output none
if ($LASTEXITCODE -ne 0) { throw 'postdeploy: the event subscription was not created' }
Write-Host "postdeploy: uploads in $($env:UPLOADS_CONTAINER) now reach the uploads function"
