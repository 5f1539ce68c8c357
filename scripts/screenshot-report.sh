#!/usr/bin/env bash
# Screenshots of an audit's report.html for a person to look at: light and dark, with headless
# Chromium (Debian package `chromium`), and the first pages printed to PDF when pdftoppm is there.
#   bash scripts/screenshot-report.sh [OUT_DIR_OF_AN_AUDIT] [SHOTS_DIR]
# Without arguments it audits fixtures/contoso into a temporary folder first.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-}"
shots="${2:-${TMPDIR:-/tmp}/mfa-audit-shots}"
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
  echo "no Chromium found: apt-get install -y chromium" >&2
  exit 1
fi
if [ -z "$out" ]; then
  out="${TMPDIR:-/tmp}/mfa-audit-shot-run"
  cargo run --quiet -- audit fixtures/contoso --out "$out" >/dev/null
fi
page="$(cd "$out" && pwd)/report.html"
[ -f "$page" ] || { echo "no report.html in $out" >&2; exit 1; }
mkdir -p "$shots"
height="${HEIGHT:-3200}"
common=(--headless --no-sandbox --disable-gpu --hide-scrollbars --virtual-time-budget=3000)
"$browser" "${common[@]}" --window-size="1280,$height" --screenshot="$shots/report-light.png" "file://$page" 2>/dev/null
"$browser" "${common[@]}" --force-dark-mode --window-size="1280,$height" --screenshot="$shots/report-dark.png" "file://$page" 2>/dev/null
"$browser" "${common[@]}" --no-pdf-header-footer --print-to-pdf="$shots/report.pdf" "file://$page" 2>/dev/null
if command -v pdftoppm >/dev/null; then
  pdftoppm -png -r 60 -f 1 -l 4 "$shots/report.pdf" "$shots/report-print"
fi
ls -1 "$shots"
