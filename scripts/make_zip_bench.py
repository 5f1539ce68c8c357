#!/usr/bin/env python3
"""Zipped sign-in logs for the memory benchmark (bench/README.md, "Zipped sign-in logs").

Writes into OUT: the contoso users and registration exports, and the same ROWS interactive
sign-in rows twice: as a plain CSV (InteractiveSignIns_2026-08-01_2026-11-21.csv in OUT/plain/)
and as a zip holding it (OUT/zipped/InteractiveSignIns_2026-08-01_2026-11-21.zip). Rows use the
portal download's column names (five of them), the accounts of fixtures/contoso, and dates
spread over the 90 days before 2026-11-21. Deterministic: same ROWS, same bytes.

    python3 scripts/make_zip_bench.py /tmp/zipbench 3000000
"""
import csv
import os
import shutil
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONTOSO = os.path.join(ROOT, "fixtures", "contoso")
NAME = "InteractiveSignIns_2026-08-01_2026-11-21.csv"


def accounts():
    with open(os.path.join(CONTOSO, "exportUsers_2026-11-21.csv"), encoding="utf-8-sig") as f:
        return [(r["id"], r["userPrincipalName"]) for r in csv.DictReader(f)]


def rows(n, accts):
    yield '"Date (UTC)","User ID","Username","Status","Sign-in error code"\r\n'
    for i in range(n):
        uid, upn = accts[i % len(accts)]
        day = 21 - (i // 7 % 90) % 21
        month = 11 - (i // 7 % 90) // 21 % 3
        sec = i % 86400
        ok = i % 13 != 0
        yield '"2026-%02d-%02dT%02d:%02d:%02dZ","%s","%s","%s","%s"\r\n' % (
            month, max(day, 1), sec // 3600, sec // 60 % 60, sec % 60, uid, upn,
            "Success" if ok else "Failure", 0 if ok else 50126)


def main():
    out, n = sys.argv[1], int(sys.argv[2])
    accts = accounts()
    for sub in ("plain", "zipped"):
        d = os.path.join(out, sub)
        os.makedirs(d, exist_ok=True)
        for f in ("exportUsers_2026-11-21.csv", "exportUserRegistrationDetails_2026-11-21.csv"):
            shutil.copy(os.path.join(CONTOSO, f), d)
    plain = os.path.join(out, "plain", NAME)
    with open(plain, "w", encoding="utf-8", newline="") as f:
        buf = []
        for line in rows(n, accts):
            buf.append(line)
            if len(buf) >= 100_000:
                f.write("".join(buf))
                buf = []
        f.write("".join(buf))
    z = os.path.join(out, "zipped", NAME.replace(".csv", ".zip"))
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.write(plain, NAME)
    print(plain, os.path.getsize(plain), z, os.path.getsize(z))


if __name__ == "__main__":
    main()
