#!/usr/bin/env python3
"""The Python read floors for scripts/bench.sh: the same sign-in files, the three columns the
audit's aggregation needs (date, user id, error code), one group-by per user.

    python3 scripts/bench_floor.py polars|pandas FILE...
    python3 scripts/bench_floor.py polars+sha256 TENANT_DIR [INSPECT_JSON]

`polars+sha256` is the yardstick of the README: the polars scan of the sign-in files while a
thread takes the SHA-256 of every file in the tenant folder (the manifest's work), timed together.
Given `mfa-audit inspect --json TENANT_DIR > INSPECT_JSON`, it scans instead every column the
audit maps, of every input (the per-account files too), each file as polars reads it fastest:
sign-ins grouped per user, the per-account files collected.

Prints `engine=... rows=... users=... seconds=...` (seconds of the scan and group-by only, the
interpreter start and imports excluded)."""

import sys
import time

COLS = ["Date (UTC)", "User ID", "Sign-in error code"]


def with_polars(files):
    import polars as pl
    t = time.perf_counter()
    lf = pl.concat([pl.scan_csv(f, infer_schema=False).select(COLS) for f in files])
    out = (lf.group_by("User ID")
           .agg(pl.col("Date (UTC)").max().alias("last"), pl.len().alias("rows"),
                (pl.col("Sign-in error code") == "0").sum().alias("ok"))
           .collect(engine="streaming"))
    return time.perf_counter() - t, int(out["rows"].sum()), out.height


def with_pandas(files):
    import pandas as pd
    t = time.perf_counter()
    df = pd.concat([pd.read_csv(f, usecols=COLS, dtype=str, keep_default_na=False, encoding="utf-8-sig")
                    for f in files])
    df["ok"] = df["Sign-in error code"] == "0"
    out = df.groupby("User ID").agg(last=("Date (UTC)", "max"), rows=("ok", "size"), ok=("ok", "sum"))
    return time.perf_counter() - t, int(out["rows"].sum()), len(out)


def scan_used_columns(inspect_json):
    """Every input file's mapped columns, as `mfa-audit inspect --json` lists them."""
    import json
    import polars as pl
    files = json.load(open(inspect_json))["files"]
    rows, users = 0, 0
    for f in files:
        cols = sorted({m[1] for m in f["mapping"]["mapped"]})
        lf = pl.scan_csv(f["path"], infer_schema=False, encoding="utf8-lossy").select(cols)
        if f["kind"] == "sign-ins":
            out = (lf.group_by("User ID")
                   .agg(pl.col("Date (UTC)").max().alias("last"), pl.len().alias("rows"),
                        (pl.col("Sign-in error code") == "0").sum().alias("ok"),
                        pl.col("Multifactor authentication auth method").last())
                   .collect(engine="streaming"))
            rows += int(out["rows"].sum())
            users = max(users, out.height)
        else:
            out = lf.collect(engine="streaming")
            rows += out.height
    return rows, users


def with_polars_and_hashes(tenant, inspect_json=None):
    import hashlib, os, threading
    every = sorted(os.path.join(d, f) for d, _, fs in os.walk(tenant) for f in fs if not f.startswith("."))
    signins = [f for f in every if os.path.basename(f).startswith(("InteractiveSignIns_", "NonInteractiveSignIns_"))]

    def hash_all():
        for f in every:
            h = hashlib.sha256()
            with open(f, "rb") as fh:
                while chunk := fh.read(1 << 20):
                    h.update(chunk)

    t = time.perf_counter()
    th = threading.Thread(target=hash_all)
    th.start()
    if inspect_json:
        rows, users = scan_used_columns(inspect_json)
    else:
        _, rows, users = with_polars(signins)
    th.join()
    return time.perf_counter() - t, rows, users


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("polars", "pandas", "polars+sha256"):
        sys.exit(__doc__)
    engine, files = sys.argv[1], sys.argv[2:]
    if engine == "polars+sha256":
        secs, rows, users = with_polars_and_hashes(files[0], files[1] if len(files) > 1 else None)
    else:
        secs, rows, users = (with_polars if engine == "polars" else with_pandas)(files)
    print("engine=%s rows=%d users=%d seconds=%.3f" % (engine, rows, users, secs))


if __name__ == "__main__":
    main()
