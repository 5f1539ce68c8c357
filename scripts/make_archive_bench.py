#!/usr/bin/env python3
"""A diagnostic-settings archive of a stated size for the memory benchmark (bench/README.md):
BLOBS PT1H.json files of RECORDS sign-in records each, copied from the fixture archive's first
interactive record with a fresh properties.id per record, plus the fixture's users and
registration exports.

    python3 scripts/make_archive_bench.py OUT BLOBS RECORDS

Deterministic (seeded); 400 blobs x 1,000 records is about 400 MB."""

import json
import os
import random
import shutil
import sys
import uuid

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "formats", "signin-routes", "archive")


def first_record():
    for root, _, files in sorted(os.walk(os.path.join(FIXTURE, "insights-logs-signinlogs"))):
        for f in sorted(files):
            if f == "PT1H.json":
                with open(os.path.join(root, f)) as fh:
                    return json.loads(fh.readline())
    sys.exit("no PT1H.json in the fixture archive")


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    out, blobs, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rec = first_record()
    rng = random.Random(1)
    for b in range(blobs):
        d = os.path.join(out, "insights-logs-signinlogs", "tenantId=bench", "y=2026", "m=11",
                         "d=%02d" % (1 + b % 20), "h=%02d" % (b // 20 % 24), "m=%02d" % (b // 480))
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "PT1H.json"), "w") as f:
            for _ in range(per):
                rec["properties"]["id"] = str(uuid.UUID(int=rng.getrandbits(128)))
                f.write(json.dumps(rec) + "\n")
    for f in os.listdir(FIXTURE):
        if f.startswith("export") and f.endswith(".csv"):
            shutil.copy(os.path.join(FIXTURE, f), out)


if __name__ == "__main__":
    main()
