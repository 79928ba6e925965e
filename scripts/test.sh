#!/usr/bin/env bash
# Runs every test on a fresh machine: installs what is missing, builds the deployment package (the isolated worker
# published ReadyToRun, as scripts/deploy.sh uploads it) into artifacts/package, starts its own Azurite on free ports
# (in memory), and runs the whole suite against it, Bicep build/lint included. The HTTP tests go through the real
# worker: in-process workers connected to the development host over gRPC, and the published package served by the
# development host as a program (API contract clients, the demo report, the load test).
#   --fast   the inner loop: rules and use cases through in-process workers only (no package, browser or contract
#            tools), a minute or two
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
cd "$REPO_ROOT"

fast=false
case "${1:-}" in
  --fast) fast=true ;;
  "") ;;
  *) echo "usage: scripts/test.sh [--fast]" >&2; exit 2 ;;
esac

ensure_dotnet
ensure_node_packages
ensure_poppler
filter=()
if $fast; then
  filter=(--filter "Tier!=Full")
else
  ensure_system_cjk_fonts
  ensure_chromium
  # The deployment package exactly as scripts/deploy.sh uploads it (no Azure calls); the published-app tests run it.
  scripts/deploy.sh --package-only artifacts/app.zip
  export REPORTING_PUBLISHED_APP="$REPO_ROOT/artifacts/package"
fi

start_azurite memory
trap 'kill "$AZURITE_PID" 2>/dev/null || true' EXIT
export REPORTING_TEST_STORAGE="$AZURITE_CONNECTION"

if $fast; then log "running the fast tier"; else log "running the tests"; fi
rm -f artifacts/load-test.txt
out=$(mktemp)
set +e
dotnet test Reporting.sln -c Release --nologo "${filter[@]}" 2>&1 | tee "$out"
status=${PIPESTATUS[0]}
set -e
# One plain closing line for CI, summed over the test assemblies.
passed=$(grep -Eo 'Passed: +[0-9]+' "$out" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$out" | awk '{s+=$2} END {print s+0}')
rm -f "$out"
[ -f artifacts/load-test.txt ] && cat artifacts/load-test.txt
echo "${passed:-0} passed, ${failed:-0} failed"
[ "$status" -eq 0 ] && [ "${passed:-0}" -gt 0 ]
