#!/usr/bin/env bash
# Measures report generation (warm median and p95, cold from a new process), peak memory, PDF size, handler start-up,
# and accepted submissions per second next to the raw Azure.Data.Tables upsert rate, against Azurite; writes them to
# docs/benchmarks.md with the command that produced them.
#   scripts/benchmark.sh [--baseline REV] [--runs N] [--cold-runs N] [--starts N] [--submissions N] [--concurrency N]
#                        [--revision-values N] [--revisions-per-value N]
# --baseline REV also publishes the handler of git revision REV (e.g. HEAD~1) and measures its warm report generation
# in the same run, taking turns with this build's: before and after, on the same machine at the same time.
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
cd "$REPO_ROOT"

ensure_dotnet
ensure_node_packages
# As deployed: ReadyToRun, so start-up does not wait for the JIT.
publish_handler -r linux-x64 --self-contained false -p:PublishReadyToRun=true
command="scripts/benchmark.sh${*:+ $*}"
baseline_args=()
args=()
while [ $# -gt 0 ]; do
  if [ "$1" = "--baseline" ]; then
    rev=$2
    shift 2
    dir=$(mktemp -d /tmp/reporting-baseline-XXXXXX)
    log "publishing the baseline handler of $rev into $dir"
    git -C "$REPO_ROOT" worktree add --detach "$dir/src" "$rev" >/dev/null
    dotnet publish "$dir/src/functions/src/Reporting.csproj" -c Release -o "$dir/functions/bin" --nologo -v quiet -clp:ErrorsOnly \
      -r linux-x64 --self-contained false -p:PublishReadyToRun=true
    mkdir -p "$dir/functions/bin/fonts"
    cp "$REPO_ROOT/functions/bin/fonts/"* "$dir/functions/bin/fonts/"
    git -C "$REPO_ROOT" worktree remove --force "$dir/src"
    baseline_args=(--baseline-handler "$dir/functions/bin/Reporting" --baseline-name "$(git -C "$REPO_ROOT" rev-parse --short "$rev")")
  else
    args+=("$1")
    shift
  fi
done

start_azurite memory
trap 'kill "$AZURITE_PID" 2>/dev/null || true' EXIT

dotnet build tools/benchmark -c Release --nologo -v quiet -clp:ErrorsOnly
# The compiler and MSBuild servers would otherwise still be busy during the first measurements.
dotnet build-server shutdown >/dev/null 2>&1 || true
sleep 2
dotnet run --project tools/benchmark -c Release --no-build --nologo -- \
  --handler functions/bin/Reporting --connection "$AZURITE_CONNECTION" --azurite-pid "$AZURITE_PID" --out docs/benchmarks.md \
  --command "$command" "${args[@]}" "${baseline_args[@]}"
