#!/usr/bin/env bash
# Tests queries/signin-summary.sql for real: DuckDB (reading JSON lines and struct fields the way
# Spark does) runs it over the fixture archive, and its rows must equal the audit's own
# aggregation of the same archive and the summary fixture. The DuckDB wheel comes from PyPI into
# a virtual environment cached under $HOME/.cache. Exit 1 when the rows differ.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${MFA_AUDIT_VENV:-$HOME/.cache/mfa-audit-venv}"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import duckdb" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "duckdb==2.0.0"
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
cargo run --locked --quiet -- audit fixtures/formats/signin-routes/archive --out "$out/r" --as-of 2026-11-21 >/dev/null
"$VENV/bin/python" scripts/check_queries.py "$out/r/accounts.csv"
