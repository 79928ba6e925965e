#!/usr/bin/env bash
# Measures report generation (warm median and p95, cold from a new process), peak memory, PDF size, handler start-up,
# and accepted submissions per second next to the raw Azure.Data.Tables upsert rate, against Azurite; writes them to
# docs/benchmarks.md with the command that produced them.
#   scripts/benchmark.sh [--runs N] [--cold-runs N] [--starts N] [--submissions N] [--concurrency N]
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
cd "$REPO_ROOT"

ensure_dotnet
ensure_node_packages
# As deployed: ReadyToRun, so start-up does not wait for the JIT.
publish_handler -r linux-x64 --self-contained false -p:PublishReadyToRun=true
start_azurite memory
trap 'kill "$AZURITE_PID" 2>/dev/null || true' EXIT

dotnet build tools/benchmark -c Release --nologo -v quiet -clp:ErrorsOnly
# The compiler and MSBuild servers would otherwise still be busy during the first measurements.
dotnet build-server shutdown >/dev/null 2>&1 || true
sleep 2
dotnet run --project tools/benchmark -c Release --no-build --nologo -- \
  --handler functions/bin/Reporting --connection "$AZURITE_CONNECTION" --azurite-pid "$AZURITE_PID" --out docs/benchmarks.md \
  --command "scripts/benchmark.sh${*:+ $*}" "$@"
