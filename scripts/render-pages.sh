#!/usr/bin/env bash
# Renders every page of a report PDF to PNG so a reviewer can look at it, and prints its text layer beside.
#   scripts/render-pages.sh artifacts/report-FY2025.pdf [out-dir] [dpi]
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
pdf=${1:?usage: scripts/render-pages.sh REPORT.pdf [OUT_DIR] [DPI]}
out=${2:-"${pdf%.pdf}-pages"}
dpi=${3:-110}
ensure_poppler
mkdir -p "$out"
pdftoppm -r "$dpi" -png "$pdf" "$out/page"
pdftotext -layout -enc UTF-8 "$pdf" "$out/text.txt"
log "$(ls "$out"/page-*.png | wc -l) pages in $out (text layer in $out/text.txt)"
