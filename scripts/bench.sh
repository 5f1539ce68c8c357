#!/usr/bin/env bash
# Benchmark mfa-audit on synthetic tenants. See bench/README.md.
#
#   bash scripts/bench.sh [small|medium|issue|large-1m|large|all]     (default: small)
#   issue (100k users / 2M sign-ins) is the size the ingest issue measures against Python polars.
#   large-1m (200k users / 1M sign-ins) is the same user count as large, for the RSS comparison.
#
# Environment:
#   CARGO_TARGET_DIR  cargo target dir        (default: $HOME/.cache/mfa-audit-target)
#   BENCH_DIR         tenants + results       (default: /tmp/mfa-audit-bench)
#   SEED              generator seed          (default: 42)
#   SKIP_BUILD=1      use already built binaries
#   RUST_FLOOR=1      also build and run the Rust read floor (examples/read_floor.rs, which needs
#                     the optional `columnar` feature: polars, about 15 more minutes of build)
set -euo pipefail

usage() {
    echo "usage: bash scripts/bench.sh [small|medium|issue|large-1m|large|all]" >&2
    exit 2
}

case "${1:-small}" in
    small | medium | issue | large-1m | large) SIZES=("${1:-small}") ;;
    all) SIZES=(small medium issue large-1m large) ;;
    -h | --help) usage ;;
    *) usage ;;
esac

users_for() { case "$1" in small) echo 10000 ;; medium | issue) echo 100000 ;; large-1m | large) echo 200000 ;; esac; }
signins_for() { case "$1" in small) echo 100000 ;; medium | large-1m) echo 1000000 ;; issue) echo 2000000 ;; large) echo 5000000 ;; esac; }

TIME=/usr/bin/time
if [[ ! -x $TIME ]]; then
    echo "error: $TIME (GNU time) is required for wall time and peak RSS." >&2
    echo "       install it with: sudo apt-get install time   (Debian/Ubuntu package 'time')" >&2
    exit 2
fi

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/mfa-audit-target}
BENCH_DIR=${BENCH_DIR:-/tmp/mfa-audit-bench}
SEED=${SEED:-42}
BIN=$CARGO_TARGET_DIR/release/mfa-audit
GEN=$CARGO_TARGET_DIR/release/examples/gen_tenant
FLOOR=$CARGO_TARGET_DIR/release/examples/read_floor

if [[ ${SKIP_BUILD:-0} != 1 ]]; then
    echo "== building release binary and examples (CARGO_TARGET_DIR=$CARGO_TARGET_DIR)" >&2
    (cd "$REPO" && cargo build --release --bin mfa-audit --example gen_tenant)
    if [[ ${RUST_FLOOR:-0} == 1 ]]; then
        (cd "$REPO" && cargo build --release --features columnar --example read_floor)
    fi
fi
[[ ${RUST_FLOOR:-0} == 1 ]] || FLOOR=""
for b in "$BIN" "$GEN" ${FLOOR:+"$FLOOR"}; do
    [[ -x $b ]] || { echo "error: $b not built" >&2; exit 1; }
done
mkdir -p "$BENCH_DIR"

# The Python floors: the polars and pandas wheels from PyPI in a virtual environment.
PYVENV=${BENCH_VENV:-$HOME/.cache/mfa-audit-bench-venv}
if [[ ! -x $PYVENV/bin/python ]] || ! "$PYVENV/bin/python" -c "import polars, pandas" 2>/dev/null; then
    echo "== installing the polars and pandas wheels into $PYVENV" >&2
    python3 -m venv "$PYVENV"
    "$PYVENV/bin/pip" install --quiet polars pandas
fi
PYFLOOR=("$PYVENV/bin/python" "$REPO/scripts/bench_floor.py")

# "h:mm:ss" or "m:ss.ss" -> seconds
to_seconds() {
    awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else if (NF == 2) print $1 * 60 + $2; else print $1 }' <<<"$1"
}
time_field() { # file, label prefix -> value after the last ": "
    grep -F "$2" "$1" | head -n1 | sed 's/.*: //'
}

generate() { # size dir users signins
    local size=$1 dir=$2 users=$3 signins=$4 stamp
    # regenerate when the generator source changes, not only the size or seed
    stamp="users=$3 sign-ins=$4 seed=$SEED gen=$(sha256sum <"$REPO/examples/gen_tenant.rs" | cut -c1-16)"
    if [[ -f $dir/.complete ]] && [[ $(cat "$dir/.complete") == "$stamp" ]]; then
        echo "== $size: reusing $dir" >&2
        return
    fi
    echo "== $size: generating $users users / $signins sign-ins into $dir" >&2
    rm -rf "$dir" "$dir.tmp"
    "$GEN" --out "$dir.tmp" --users "$users" --sign-ins "$signins" --seed "$SEED" >/dev/null
    echo "$stamp" >"$dir.tmp/.complete"
    mv "$dir.tmp" "$dir"
}

HEADER="| size | users | sign-in rows | audit s | peak RSS MiB | Python polars s | audit/polars | pandas s | Rust read floor s | s per 1k accounts | exit |"
RULE="|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
ROWS=()

for size in "${SIZES[@]}"; do
    users=$(users_for "$size")
    signins=$(signins_for "$size")
    tenant=$BENCH_DIR/$size
    out=$BENCH_DIR/$size-out
    generate "$size" "$tenant" "$users" "$signins"
    mapfile -t signin_files < <(find "$tenant" -maxdepth 1 \( -name 'InteractiveSignIns_*.csv' -o -name 'NonInteractiveSignIns_*.csv' \) | sort)

    # warm the page cache so the audit and the floor both read from memory
    cat "${signin_files[@]}" >/dev/null

    echo "== $size: audit" >&2
    rm -rf "$out"
    tfile=$(mktemp)
    set +e
    "$TIME" -v -o "$tfile" "$BIN" audit "$tenant" --out "$out" >"$BENCH_DIR/$size-audit.log" 2>&1
    rc=$?
    set -e
    if [[ $rc -ne 0 ]]; then
        echo "warning: mfa-audit exited $rc (log: $BENCH_DIR/$size-audit.log)" >&2
        tail -n 5 "$BENCH_DIR/$size-audit.log" >&2 || true
    fi
    audit_s=$(to_seconds "$(time_field "$tfile" "Elapsed (wall clock) time")")
    audit_kb=$(time_field "$tfile" "Maximum resident set size")

    if [[ -n $FLOOR ]]; then
        echo "== $size: read floor" >&2
        "$TIME" -v -o "$tfile" "$FLOOR" "${signin_files[@]}" >"$BENCH_DIR/$size-floor.log"
        floor_line=$(cat "$BENCH_DIR/$size-floor.log")
    else
        floor_line="rows=$signins seconds=- (RUST_FLOOR=1 to run it)"
    fi
    echo "   $floor_line" >&2
    floor_s=$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' <<<"$floor_line")
    floor_rows=$(sed -n 's/.*rows=\([0-9]*\) .*/\1/p' <<<"$floor_line")
    floor_kb=$(time_field "$tfile" "Maximum resident set size")
    rm -f "$tfile"
    if [[ $floor_rows != "$signins" ]]; then
        echo "warning: read floor counted $floor_rows rows, expected $signins" >&2
    fi
    : "$floor_kb"

    echo "== $size: Python polars and pandas floors (same files, same run)" >&2
    pl_line=$("${PYFLOOR[@]}" polars "${signin_files[@]}")
    echo "   $pl_line" >&2
    pd_line=$("${PYFLOOR[@]}" pandas "${signin_files[@]}")
    echo "   $pd_line" >&2
    pl_s=$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' <<<"$pl_line")
    pd_s=$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' <<<"$pd_line")

    row=$(awk -v s="$size" -v u="$users" -v n="$signins" -v a="$audit_s" -v akb="$audit_kb" \
        -v f="$floor_s" -v p="$pl_s" -v d="$pd_s" -v rc="$rc" 'BEGIN {
            ratio = (p > 0) ? a / p : 0;
            printf "| %s | %d | %d | %.2f | %.0f | %.2f | %.2fx | %.2f | %.2f | %.4f | %d |",
                s, u, n, a, akb / 1024, p, ratio, d, f, a / (u / 1000), rc }')
    ROWS+=("$row")
    echo "$row" >&2
done

{
    echo "# mfa-audit benchmark"
    echo
    echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "- commit: $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo none)"
    echo "- machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo), $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
    echo "- seed: $SEED; tenants under $BENCH_DIR (page cache warm for both audit and floor)"
    echo "- Rust read floor: polars LazyCsvReader, 5 sign-in columns as strings, group_by User ID (examples/read_floor.rs)"
    echo "- Python floors: scripts/bench_floor.py (date, user id, error code; group-by per user), polars $("$PYVENV/bin/python" -c 'import polars; print(polars.__version__)') and pandas $("$PYVENV/bin/python" -c 'import pandas; print(pandas.__version__)')"
    echo
    echo "$HEADER"
    echo "$RULE"
    printf '%s\n' "${ROWS[@]}"
} >"$BENCH_DIR/results.md"

echo
echo "$HEADER"
echo "$RULE"
printf '%s\n' "${ROWS[@]}"
echo
echo "written to $BENCH_DIR/results.md"
