# Shared set-up for scripts/*.sh: installs what a fresh machine lacks and starts Azurite.
# Sourced, not run. Everything it installs comes from the machine's package registries (Debian, npm, NuGet).

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
FONT_REL="node_modules/@expo-google-fonts/biz-udpgothic/400Regular/BIZUDPGothic_400Regular.ttf"
FONT_BOLD_REL="node_modules/@expo-google-fonts/biz-udpgothic/700Bold/BIZUDPGothic_700Bold.ttf"
# Noto Sans JP: drawn only for the characters BIZ UDPGothic lacks (JIS X 0213 kanji such as 𠮷).
FALLBACK_FONT_REL="node_modules/@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf"
FALLBACK_FONT_BOLD_REL="node_modules/@expo-google-fonts/noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf"
REPORT_FONTS=("$FONT_REL" "$FONT_BOLD_REL" "$FALLBACK_FONT_REL" "$FALLBACK_FONT_BOLD_REL")

log() { printf '\033[1;34m[reporting]\033[0m %s\n' "$*" >&2; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() { # what (for the log) package...
  log "installing $1 from Debian"
  shift
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_dotnet() {
  command -v dotnet >/dev/null || { log "the .NET 10 SDK is required (dotnet on PATH)"; exit 1; }
}

ensure_node_packages() {
  command -v npm >/dev/null || { log "Node.js and npm are required (Azurite and the report font come from npm)"; exit 1; }
  local missing=false
  for f in "${REPORT_FONTS[@]}"; do [ -f "$REPO_ROOT/$f" ] || missing=true; done
  # Azurite, and the API contract tools the tests run (linters, the TypeScript client's generator and compiler).
  for tool in azurite redocly spectral openapi-typescript tsc; do [ -x "$REPO_ROOT/node_modules/.bin/$tool" ] || missing=true; done
  [ -f "$REPO_ROOT/node_modules/openapi-fetch/package.json" ] || missing=true
  if $missing; then
    log "installing npm packages (Azurite, the BIZ UDPGothic and Noto Sans JP fonts, the API contract tools)"
    (cd "$REPO_ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

ensure_poppler() {
  if ! command -v pdftotext >/dev/null || ! command -v pdfimages >/dev/null; then
    apt_install "poppler-utils (pdftotext, pdftoppm)" poppler-utils
  fi
}

# The report must look the same whatever fonts the machine has: the tests run where Debian's Noto Sans CJK is
# installed system-wide (a face a chart or a text run could silently fall back to), as it is on many servers.
ensure_system_cjk_fonts() {
  if ! fc-list 2>/dev/null | grep -q "Noto Sans CJK"; then
    apt_install "fonts-noto-cjk (the tests check the report never uses a system font)" fonts-noto-cjk fontconfig
  fi
}

# The HTML edition of the report is checked in a real browser (axe-core's WCAG 2.1 AA rules): Debian's chromium, since
# Playwright's own browser download does not work everywhere.
ensure_chromium() {
  if ! command -v chromium >/dev/null; then
    apt_install "chromium (the tests open the report's HTML edition in it and run axe-core)" chromium
  fi
  export REPORTING_CHROMIUM="${REPORTING_CHROMIUM:-$(command -v chromium)}"
}

free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

wait_for_port() { # port [seconds]
  local port=$1 deadline=$((SECONDS + ${2:-30}))
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { log "nothing listens on port $port"; return 1; }
    sleep 0.2
  done
}

# Starts Azurite (blobs, tables) and sets AZURITE_PID and AZURITE_CONNECTION.
#   start_azurite memory            -- in-memory, free ports (tests, benchmarks)
#   start_azurite DIR BLOB TABLE    -- persisted in DIR on the given ports (local runs)
start_azurite() {
  local args blob table queue
  if [ "$1" = memory ]; then
    blob=$(free_port); table=$(free_port); queue=$(free_port)
    args=(--inMemoryPersistence)
  else
    mkdir -p "$1"; blob=$2; table=$3; queue=$(free_port)
    args=(--location "$1")
  fi
  # No telemetry: it phones Microsoft from every run (and keeps a killed Azurite busy for minutes trying).
  "$REPO_ROOT/node_modules/.bin/azurite" "${args[@]}" --silent --disableTelemetry --skipApiVersionCheck --loose \
    --blobHost 127.0.0.1 --tableHost 127.0.0.1 --queueHost 127.0.0.1 \
    --blobPort "$blob" --tablePort "$table" --queuePort "$queue" >/dev/null 2>&1 &
  AZURITE_PID=$!
  wait_for_port "$blob" && wait_for_port "$table"
  AZURITE_CONNECTION="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"
  log "Azurite on 127.0.0.1 (blob $blob, table $table)"
}

# Builds the function app (the isolated worker: functions/bin/Release/net10.0, with host.json and the functions.metadata
# the Worker SDK generates) and the development host that serves it here (tools/FunctionsDevHost), in one build.
build_app() {
  log "building the function app and the development host"
  dotnet build "$REPO_ROOT/tools/FunctionsDevHost/FunctionsDevHost.csproj" -c Release --nologo -v quiet -clp:ErrorsOnly
  dotnet build "$REPO_ROOT/functions/Reporting.csproj" -c Release --nologo -v quiet -clp:ErrorsOnly
}

APP_OUTPUT="$REPO_ROOT/functions/bin/Release/net10.0"
DEV_HOST="$REPO_ROOT/tools/FunctionsDevHost/bin/Release/net10.0/FunctionsDevHost.dll"
