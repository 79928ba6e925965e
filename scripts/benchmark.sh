#!/usr/bin/env bash
# Measures report generation (warm median, first request), peak memory, PDF size, start-up and accepted submissions
# per second against Azurite, and writes them to docs/benchmarks.md with the command that produced them.
#   scripts/benchmark.sh [--runs N] [--submissions N] [--concurrency N]
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
cd "$REPO_ROOT"

ensure_dotnet
ensure_node_packages
publish_handler
start_azurite memory
trap 'kill "$AZURITE_PID" 2>/dev/null || true' EXIT

dotnet run --project tools/benchmark -c Release --nologo -- \
  --handler functions/bin/Reporting --connection "$AZURITE_CONNECTION" --out docs/benchmarks.md \
  --command "scripts/benchmark.sh${*:+ $*}" "$@"
