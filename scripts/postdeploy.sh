#!/usr/bin/env bash
# azd postdeploy hook: subscribes the uploads function to the data account's blob events.
# The subscription needs the blobs extension key, which exists only once the app runs.
# Reads the deployment's outputs from the azd environment (or the same names exported by hand).
set -euo pipefail

: "${AZURE_RESOURCE_GROUP:?}" "${FUNCTION_APP_NAME:?}" "${DATA_EVENTS_TOPIC:?}" "${UPLOADS_CONTAINER:?}"

key=""
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  key=$(az functionapp keys list -g "$AZURE_RESOURCE_GROUP" -n "$FUNCTION_APP_NAME" --query "systemKeys.blobs_extension" -o tsv 2>/dev/null || true)
  if [ -n "$key" ]; then
    break
  fi
  echo "postdeploy: waiting for the blobs extension key (attempt $attempt)"
  sleep 15
done
if [ -z "$key" ]; then
  echo "postdeploy: the app has no blobs_extension key yet; run this script again once it has started" >&2
  exit 1
fi

host=$(az functionapp show -g "$AZURE_RESOURCE_GROUP" -n "$FUNCTION_APP_NAME" --query defaultHostName -o tsv)
endpoint="https://${host}/runtime/webhooks/blobs?functionName=Host.Functions.uploads&code=${key}"

az eventgrid system-topic event-subscription create \
  --resource-group "$AZURE_RESOURCE_GROUP" \
  --system-topic-name "$DATA_EVENTS_TOPIC" \
  --name uploads \
  --endpoint-type webhook \
  --endpoint "$endpoint" \
  --included-event-types Microsoft.Storage.BlobCreated \
  --subject-begins-with "/blobServices/default/containers/${UPLOADS_CONTAINER}/" \
  --output none
echo "postdeploy: uploads in ${UPLOADS_CONTAINER} now reach the uploads function"
