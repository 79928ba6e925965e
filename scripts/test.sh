#!/usr/bin/env bash
# Runs every test on a fresh machine: installs what is missing, builds the deployment package (the handler compiled
# with Native AOT) and puts its handler in functions/bin, starts its own Azurite on free ports (in memory), and runs the
# whole suite against it, Bicep build/lint included: the tests that start the handler start the native executable
# that is deployed; the others host the same code in-process.
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
cd "$REPO_ROOT"

ensure_dotnet
ensure_node_packages
ensure_poppler
ensure_system_cjk_fonts
ensure_chromium
# The deployment package exactly as scripts/deploy.sh uploads it (no Azure calls); tests render a report with it.
scripts/deploy.sh --package-only artifacts/app.zip
install_packaged_handler artifacts/package

start_azurite memory
trap 'kill "$AZURITE_PID" 2>/dev/null || true' EXIT
export REPORTING_TEST_STORAGE="$AZURITE_CONNECTION"

log "running the tests"
rm -f artifacts/load-test.txt
out=$(mktemp)
set +e
dotnet test Reporting.sln -c Release --nologo 2>&1 | tee "$out"
status=${PIPESTATUS[0]}
set -e
# One plain closing line for CI, summed over the test assemblies.
passed=$(grep -Eo 'Passed: +[0-9]+' "$out" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$out" | awk '{s+=$2} END {print s+0}')
rm -f "$out"
[ -f artifacts/load-test.txt ] && cat artifacts/load-test.txt
echo "${passed:-0} passed, ${failed:-0} failed"
[ "$status" -eq 0 ] && [ "${passed:-0}" -gt 0 ]
