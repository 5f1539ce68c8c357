#!/usr/bin/env python3
"""Runs queries/signin-summary.sql under DuckDB over the fixture archive and compares its rows
with the Rust aggregation of the same archive (the audit's accounts.csv) and with the fixture's
summary (fixtures/formats/signin-routes/summary). Exit 1 on any difference.

    python3 scripts/check_queries.py ACCOUNTS_CSV      (needs the duckdb package)
"""

import csv
import glob
import os
import sys

import duckdb

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
ARCHIVE = os.path.join(ROOT, "fixtures", "formats", "signin-routes", "archive")
SUMMARY = os.path.join(ROOT, "fixtures", "formats", "signin-routes", "summary", "signin-summary.csv")
WINDOW = ("2026-10-23 00:00:00", "2026-11-21 00:00:00")


def iso(v):
    """A DuckDB timestamp as the audit writes it (2026-11-20T13:02:03Z); blank for none."""
    return "" if v is None else v.strftime("%Y-%m-%dT%H:%M:%SZ")


def run_sql():
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    blobs = sorted(glob.glob(os.path.join(ARCHIVE, "**", "PT1H.json"), recursive=True))
    if not blobs:
        sys.exit("no PT1H.json under %s" % ARCHIVE)
    files = ", ".join("'%s'" % b.replace("'", "''") for b in blobs)
    con.execute(
        "CREATE VIEW sign_in_records AS SELECT * FROM read_json_auto([%s], format = 'newline_delimited', "
        "ignore_errors = true, union_by_name = true)" % files
    )
    con.execute("CREATE VIEW params AS SELECT TIMESTAMP '%s' AS window_start, TIMESTAMP '%s' AS window_end" % WINDOW)
    sql = open(os.path.join(ROOT, "queries", "signin-summary.sql"), encoding="utf-8").read()
    cur = con.execute(sql)
    cols = [d[0] for d in cur.description]
    rows = []
    for r in cur.fetchall():
        d = dict(zip(cols, r))
        rows.append({
            "userId": str(d["userId"]), "userPrincipalName": d["userPrincipalName"],
            "lastInteractiveSignIn": iso(d["lastInteractiveSignIn"]),
            "lastNonInteractiveSignIn": iso(d["lastNonInteractiveSignIn"]),
            "registrationPrompts": str(d["registrationPrompts"]), "signIns": str(d["signIns"]),
            "windowStart": iso(d["windowStart"]), "windowEnd": iso(d["windowEnd"]),
        })
    return rows


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sql_rows = run_sql()
    bad = []
    # 1. The audit's own aggregation of the same archive, per account.
    with open(sys.argv[1], encoding="utf-8-sig") as f:
        accounts = {r["userPrincipalName"].lower(): r for r in csv.DictReader(f)}
    for r in sql_rows:
        a = accounts.get(r["userPrincipalName"].lower())
        if a is None:
            continue  # a user the users export does not list: the audit rejects those rows
        for col in ("lastInteractiveSignIn", "lastNonInteractiveSignIn", "registrationPrompts"):
            if a[col] != r[col]:
                bad.append("%s %s: SQL %r, audit %r" % (r["userPrincipalName"], col, r[col], a[col]))
    matched = sum(1 for r in sql_rows if r["userPrincipalName"].lower() in accounts)
    with_logs = sum(1 for a in accounts.values() if a["lastSignIn"])
    if matched != with_logs:
        bad.append("SQL has rows for %d known users, the audit saw sign-ins for %d" % (matched, with_logs))
    # 2. The summary fixture (what the query would hand over), row for row.
    with open(SUMMARY, encoding="utf-8-sig") as f:
        want = list(csv.DictReader(f))
    if want != sql_rows:
        bad.append("SQL rows differ from %s:\n  SQL:     %s\n  fixture: %s" % (SUMMARY, sql_rows, want))
    if bad:
        print("queries/signin-summary.sql disagrees:\n" + "\n".join(bad))
        sys.exit(1)
    print("queries/signin-summary.sql: %d rows, equal to the audit's aggregation and the summary fixture"
          % len(sql_rows))


if __name__ == "__main__":
    main()
