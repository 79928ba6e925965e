#!/usr/bin/env bash
# Starts the backend locally on a fresh machine: installs what is missing, starts Azurite (data kept in .azurite/),
# and runs the app standalone at http://127.0.0.1:7071 until Ctrl+C.
#   --demo   also loads the plan's published baseline values and generates a first report, printing where it is.
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
cd "$REPO_ROOT"

demo=false
for arg in "$@"; do
  case "$arg" in
    --demo) demo=true ;;
    *) echo "usage: scripts/run-local.sh [--demo]" >&2; exit 2 ;;
  esac
done

ensure_dotnet
ensure_node_packages

# Where Core Tools (func start) reads it: the function app root, beside host.json. The handler reads the same file.
settings=functions/local.settings.json
if [ -f local.settings.json ] && [ ! -f "$settings" ]; then
  log "moving local.settings.json to $settings (the function app root, where func start reads it)"
  mv local.settings.json "$settings"
fi
if [ ! -f "$settings" ]; then
  log "creating $settings from functions/local.settings.sample.json with a new development signing key"
  key=$(node -e "console.log(require('crypto').randomBytes(48).toString('base64'))")
  sed "s|__GENERATED_BY_scripts/run-local.sh__|$key|" functions/local.settings.sample.json > "$settings"
fi

if (exec 3<>/dev/tcp/127.0.0.1/7071) 2>/dev/null; then
  log "port 7071 is already in use: stop the other process first"; exit 1
fi

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

# Azurite on its default ports so local.settings.json's UseDevelopmentStorage=true reaches it (the handler's data and
# the Functions host's own storage under func start alike).
if (exec 3<>/dev/tcp/127.0.0.1/10002) 2>/dev/null; then
  log "Azurite already running on the default ports"
else
  start_azurite "$REPO_ROOT/.azurite" 10000 10002
  pids+=("$AZURITE_PID")
fi

publish_handler
log "starting the app (standalone) at http://127.0.0.1:7071"
(cd functions && exec ./bin/Reporting) &
pids+=($!)
wait_for_port 7071 60
until curl -fs http://127.0.0.1:7071/api/health >/dev/null; do sleep 0.3; done
log "ready: curl http://127.0.0.1:7071/api/health ; tokens: scripts/dev-token staff"

if $demo; then
  node scripts/demo.mjs http://127.0.0.1:7071
fi

log "running; Ctrl+C to stop"
wait
