#!/usr/bin/env bash
# Starts the backend locally on a fresh machine: installs what is missing, starts Azurite (data kept in .azurite/),
# builds the function app (the isolated worker) and serves it with the repository's development host at
# http://127.0.0.1:7071 — as `func start` in functions/ would where Azure Functions Core Tools are installed — until Ctrl+C.
#   --demo            also load the plan's published baseline values and generate a first report, printing where it is
#   --port N          serve on port N instead of 7071
#   --settings FILE   a local.settings.json to use instead of functions/local.settings.json
#   --no-azurite      do not start Azurite: use the storage the settings name
#   --no-build        start what the last run built (several instances from one build)
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
cd "$REPO_ROOT"

usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
demo=false port=7071 settings="" azurite=true build=true
while [ $# -gt 0 ]; do
  case "$1" in
    --demo) demo=true; shift ;;
    --port) port=${2:?}; shift 2 ;;
    --settings) settings=${2:?}; shift 2 ;;
    --no-azurite) azurite=false; shift ;;
    --no-build) build=false; shift ;;
    *) usage ;;
  esac
done

ensure_dotnet
ensure_node_packages

# Where Core Tools (func start) reads it: the function app's folder, functions/, beside host.json.
if [ -z "$settings" ]; then
  settings=functions/local.settings.json
  if [ ! -f "$settings" ]; then
    log "creating $settings from local.settings.sample.json with a new development signing key"
    key=$(node -e "console.log(require('crypto').randomBytes(48).toString('base64'))")
    sed "s|__GENERATED_BY_scripts/run-local.sh__|$key|" local.settings.sample.json > "$settings"
  fi
fi
[ -f "$settings" ] || { log "no settings file $settings"; exit 1; }
settings=$(cd "$(dirname "$settings")" && pwd)/$(basename "$settings")

if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  log "port $port is already in use: stop the other process first, or choose another with --port"; exit 1
fi

pids=()
cleanup() { for p in "${pids[@]}"; do kill -INT "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

# Azurite on its default ports, so the settings' UseDevelopmentStorage=true reaches it.
if $azurite; then
  if (exec 3<>/dev/tcp/127.0.0.1/10002) 2>/dev/null; then
    log "Azurite already running on the default ports"
  else
    start_azurite "$REPO_ROOT/.azurite" 10000 10002
    pids+=("$AZURITE_PID")
  fi
fi

if $build; then
  build_app
elif [ ! -f "$DEV_HOST" ] || [ ! -f "$APP_OUTPUT/functions.metadata" ]; then
  log "--no-build: nothing is built yet; run once without it"; exit 1
fi

log "starting the development host at http://127.0.0.1:$port (the worker: $APP_OUTPUT)"
REPORTING_LOCAL_SETTINGS="$settings" dotnet "$DEV_HOST" --app "$APP_OUTPUT" --port "$port" --settings "$settings" --state "$REPO_ROOT/.devhost" &
pids+=($!)
deadline=$((SECONDS + 120))
until curl -fs "http://127.0.0.1:$port/api/health/ready" >/dev/null 2>&1; do
  [ $SECONDS -lt $deadline ] || { log "the app did not become ready"; exit 1; }
  kill -0 "${pids[-1]}" 2>/dev/null || { log "the development host stopped"; exit 1; }
  sleep 0.3
done
log "ready: open http://127.0.0.1:$port/ in a browser (development sign-in) ; API: curl http://127.0.0.1:$port/api/health ; tokens: scripts/dev-token staff"

if $demo; then
  REPORTING_LOCAL_SETTINGS="$settings" node scripts/demo.mjs "http://127.0.0.1:$port"
fi

log "running; Ctrl+C to stop"
wait "${pids[-1]}"
