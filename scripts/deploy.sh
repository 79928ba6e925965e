#!/usr/bin/env bash
# Deploys Reporting to Azure in one command: the Bicep template (storage, identity, Application Insights, Flex
# Consumption plan and app on the dotnet-isolated 10.0 runtime), then the package (the isolated worker published
# ReadyToRun, with host.json, the functions.metadata the Worker SDK generates, and both report fonts beside it), then a
# smoke test of /api/health and /api/health/ready that fails the script if the app does not answer.
#
#   scripts/deploy.sh --resource-group RG --client-id GUID [--location japaneast] [--audience api://reporting]
#                     [--prefix stip7rpt] [--parameters infra-bicep/main.bicepparam]
#   scripts/deploy.sh --package-only OUT.zip      build the package only (no Azure calls; scripts/test.sh runs this
#                                                 and tests the app it holds); its files stay in OUT.zip's
#                                                 folder, under package/
#
# Needs the Azure CLI, logged in (az login) with rights to deploy to the resource group and assign roles in it.
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
cd "$REPO_ROOT"

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

group="" location="japaneast" client_id="" audience="api://reporting" prefix="" params="infra-bicep/main.bicepparam" package_only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --resource-group) group=$2; shift 2 ;;
    --location) location=$2; shift 2 ;;
    --client-id) client_id=$2; shift 2 ;;
    --audience) audience=$2; shift 2 ;;
    --prefix) prefix=$2; shift 2 ;;
    --parameters) params=$2; shift 2 ;;
    --package-only) package_only=$2; shift 2 ;;
    *) usage ;;
  esac
done

# The package Flex Consumption runs for a dotnet-isolated app: the worker's publish output at the root — Reporting.dll
# compiled ReadyToRun for linux-x64 (Native AOT is not supported for the isolated worker; ReadyToRun and the platform's
# own start-up work are Microsoft's route), host.json, the functions.metadata the Worker SDK generates from the
# [Function] attributes, worker.config.json — and the report's fonts in fonts/: both faces of BIZ UDPGothic (without
# the bold face the report would be drawn with synthesised bold: another, much larger PDF than the one the tests check)
# and of Noto Sans JP (for the characters BIZ UDPGothic lacks). The runtime is the platform's (framework-dependent).
package() {
  local out=$1 staging
  ensure_dotnet
  ensure_node_packages
  mkdir -p "$(dirname "$out")"
  out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
  staging="$(dirname "$out")/package"
  rm -rf "$staging"
  log "publishing the isolated worker (ReadyToRun, linux-x64)"
  dotnet publish functions/Reporting.csproj -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
    -o "$staging" --nologo -v quiet -clp:ErrorsOnly
  rm -f "$staging/local.settings.json" "$staging/"*.pdb
  mkdir -p "$staging/fonts"
  for f in "${REPORT_FONTS[@]}"; do cp "$REPO_ROOT/$f" "$staging/fonts/"; done
  rm -f "$out"
  if command -v zip >/dev/null; then
    (cd "$staging" && zip -qr -X "$out" .)
  else
    (cd "$staging" && python3 -m zipfile -c "$out" ./*)
  fi
  log "package: $out ($(du -h "$out" | cut -f1))"
}

if [ -n "$package_only" ]; then
  package "$package_only"
  exit 0
fi

[ -n "$group" ] && [ -n "$client_id" ] || usage
command -v az >/dev/null || { log "the Azure CLI (az) is required: https://learn.microsoft.com/cli/azure/install-azure-cli"; exit 1; }

zip_file=$(mktemp -d)/app.zip
package "$zip_file"

log "resource group $group ($location)"
az group create --name "$group" --location "$location" --output none

log "deploying infra-bicep/main.bicep"
overrides=(apiClientId="$client_id" apiAudience="$audience")
[ -n "$prefix" ] && overrides+=(namePrefix="$prefix")
outputs=$(az deployment group create --resource-group "$group" --name "reporting-$(date -u +%Y%m%d%H%M%S)" \
  --template-file infra-bicep/main.bicep --parameters "$params" --parameters "${overrides[@]}" \
  --query properties.outputs --output json)
app=$(node -e 'console.log(JSON.parse(process.argv[1]).functionAppName.value)' "$outputs")
api=$(node -e 'console.log(JSON.parse(process.argv[1]).apiBaseUrl.value)' "$outputs")

log "uploading the package to $app"
az functionapp deployment source config-zip --resource-group "$group" --name "$app" --src "$zip_file" --output none

log "smoke test: $api/health and $api/health/ready"
deadline=$((SECONDS + 300))
until curl -fsS --max-time 10 "$api/health" >/dev/null 2>&1; do
  [ $SECONDS -lt $deadline ] || { log "FAILED: $api/health did not answer within 5 minutes"; exit 1; }
  sleep 5
done
# Readiness needs storage through the managed identity: role assignments can take minutes to apply.
until ready=$(curl -fsS --max-time 15 "$api/health/ready" 2>/dev/null); do
  [ $SECONDS -lt $deadline ] || { log "FAILED: $api/health/ready is not ready: $(curl -sS --max-time 15 "$api/health/ready" || true)"; exit 1; }
  sleep 10
done
log "deployed: $api ($ready)"
