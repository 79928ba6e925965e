#!/usr/bin/env bash
# Measures report generation (warm median and p95, cold from a new process), peak memory, PDF size, start-up, and
# accepted submissions per second next to the raw Azure.Data.Tables upsert rate, against Azurite; writes them to
# docs/benchmarks.md with the command that produced them.
#   scripts/benchmark.sh [--baseline REV] [--runs N] [--cold-runs N] [--starts N] [--submissions N] [--concurrency N]
#                        [--revision-values N] [--revisions-per-value N]
# Measures the app of the deployment package (scripts/deploy.sh --package-only: the isolated worker, ReadyToRun) served
# by the development host as the Functions host serves it (start-up counted from the worker process's start, with
# the phases the development host logs), and tools/WorkerFloor, an isolated worker with one function, as the floor.
# --baseline REV also builds the deployment package of git revision REV (e.g. 53a483f, the last custom-handler build,
# Native AOT; later revisions are isolated workers, served alike) with that revision's own scripts/deploy.sh and
# measures it in the same run, its start-ups, cold and warm reports taking turns with this build's: before and after,
# on the same machine at the same time.
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
cd "$REPO_ROOT"

ensure_dotnet
ensure_node_packages
# As deployed: the package's worker, and the development host that serves it here.
scripts/deploy.sh --package-only artifacts/app.zip
dotnet build tools/FunctionsDevHost -c Release --nologo -v quiet -clp:ErrorsOnly
# The floor: an isolated worker with one function, published as the app is.
dotnet publish tools/WorkerFloor -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o artifacts/floor \
  --nologo -v quiet -clp:ErrorsOnly
command="scripts/benchmark.sh${*:+ $*}"
baseline_args=()
args=()
while [ $# -gt 0 ]; do
  if [ "$1" = "--baseline" ]; then
    rev=$2
    shift 2
    dir=$(mktemp -d /tmp/reporting-baseline-XXXXXX)
    log "building the deployment package of $rev into $dir"
    git -C "$REPO_ROOT" worktree add --detach "$dir/src" "$rev" >/dev/null
    # Its own deploy script, with this checkout's npm packages (fonts, tools) rather than a second npm install.
    ln -s "$REPO_ROOT/node_modules" "$dir/src/node_modules"
    "$dir/src/scripts/deploy.sh" --package-only "$dir/app.zip"
    mkdir -p "$dir/package"
    # Revisions since the native build keep the package's files beside the zip already: the same files, overwritten.
    (cd "$dir/package" && unzip -oq "$dir/app.zip")
    git -C "$REPO_ROOT" worktree remove --force "$dir/src"
    # An isolated worker (it has functions.metadata) is served by the development host as this build is; a custom
    # handler (53a483f and earlier) listens itself.
    if [ -f "$dir/package/functions.metadata" ]; then
      baseline_args=(--baseline-app "$dir/package")
    else
      baseline_args=(--baseline-handler "$dir/package/bin/Reporting")
    fi
    baseline_args+=(--baseline-package "$dir/app.zip" --baseline-name "$(git -C "$REPO_ROOT" rev-parse --short "$rev")")
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
  --app artifacts/package --floor artifacts/floor --devhost "$DEV_HOST" --package artifacts/app.zip --connection "$AZURITE_CONNECTION" --azurite-pid "$AZURITE_PID" --out docs/benchmarks.md \
  --command "$command" "${args[@]}" "${baseline_args[@]}"
