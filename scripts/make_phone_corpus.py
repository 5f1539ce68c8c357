#!/usr/bin/env python3
"""Writes tests/data/phone-corpus.csv: the differential corpus for phone numbers.

Each row is a phone number as people and exports write it, the region the audit would read it
with (the account's usage location or --default-region; blank for none), and the answer of the
reference implementation: Google's libphonenumber through its maintained Python port
`phonenumbers`, pinned to the metadata version the Rust side embeds (rlibphonenumber 2.2.15
carries libphonenumber metadata 9.0.42).

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install phonenumbers==9.0.42
    /tmp/venv/bin/python scripts/make_phone_corpus.py

The reading rules applied around the library are the audit's own (docs/decisions.md, "Phone
numbers"), restated here so both sides ask the library the same question:
- a leading apostrophe (Excel's text marker) and surrounding spaces are dropped;
- a number in scientific notation (Excel lost its digits) is invalid;
- a number written with `+` or `00` is international: `00` becomes `+` and the region is NOT
  passed, so the account's region cannot change how it is read;
- any other number is national and needs a region; without one it is invalid;
- valid means libphonenumber's is_valid_number; the Graph form is `+CC NSN`, with `xEXT` when
  the number carries an extension.

Deterministic: a fixed seed, and the output is sorted. Columns: raw,region,valid,graph,form.
"""

import csv
import io
import os
import random
import sys

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

EXPECTED_VERSION = "9.0.42"
OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "data", "phone-corpus.csv")

# Regions with real-world weight in Entra tenants, plus the Brazilian 9-digit mobiles.
REGIONS = [
    "US", "CA", "GB", "IE", "DE", "AT", "CH", "FR", "BE", "NL", "LU", "IT", "ES", "PT", "SE",
    "NO", "DK", "FI", "PL", "CZ", "HU", "RO", "GR", "TR", "IL", "AE", "SA", "EG", "ZA", "NG",
    "KE", "IN", "PK", "SG", "MY", "PH", "ID", "TH", "VN", "CN", "HK", "TW", "JP", "KR", "AU",
    "NZ", "BR", "AR", "MX", "CO", "CL", "PE", "RU", "UA",
]


def reference(raw, region):
    """The audit's reading rules around libphonenumber; returns (valid, graph)."""
    t = raw.strip().lstrip("'").strip()
    if not t:
        return None
    if "e+" in t.lower() and "." in t:
        return (False, "")
    intl = t.startswith("+") or t.startswith("00")
    if t.startswith("00"):
        t = "+" + t[2:]
    if not intl and not region:
        return (False, "")
    try:
        n = phonenumbers.parse(t, None if intl else region)
    except phonenumbers.NumberParseException:
        return (False, "")
    if not phonenumbers.is_valid_number(n):
        return (False, "")
    graph = "+%d %s" % (n.country_code, phonenumbers.national_significant_number(n))
    if n.extension:
        digits = "".join(c for c in n.extension if c.isdigit())
        if digits:
            graph += "x" + digits
    return (True, graph)


def mobiles(rng, region, count):
    """Distinct mobile numbers of a region: its example mobile with the last digits varied.
    Some come out invalid (a varied prefix no operator holds); that is part of the corpus."""
    ex = phonenumbers.example_number_for_type(region, PhoneNumberType.MOBILE)
    if ex is None:
        return []
    nsn = phonenumbers.national_significant_number(ex)
    out = set()
    tries = 0
    while len(out) < count and tries < count * 20:
        tries += 1
        keep = max(2, len(nsn) - rng.randint(3, 6))
        tail = "".join(str(rng.randint(0, 9)) for _ in range(len(nsn) - keep))
        out.add(nsn[:keep] + tail)
    return [phonenumbers.parse("+%d%s" % (ex.country_code, s), None) for s in sorted(out)]


def forms(rng, n, home):
    """The ways people and exports write one number, each with the region it is read with."""
    e164 = phonenumbers.format_number(n, PhoneNumberFormat.E164)
    intl = phonenumbers.format_number(n, PhoneNumberFormat.INTERNATIONAL)
    national = phonenumbers.format_number(n, PhoneNumberFormat.NATIONAL)
    other = rng.choice([r for r in ("US", "GB", "DE", "FR", "IN", "BR") if r != home])
    rows = [
        (e164, home, "e164"),
        (e164, "", "e164-no-region"),
        (intl, home, "international-spaced"),
        # The reported bug: an international number on an account of another region.
        (intl, other, "international-other-region"),
        (intl, "", "international-no-region"),
        ("00" + e164[1:], other, "00-prefixed"),
        (national, home, "national"),
        (national, other, "national-other-region"),
        (national, "", "national-no-region"),
        ("'" + e164, home, "excel-apostrophe"),
        (e164[1:], home, "digits-without-plus"),
    ]
    digits = e164[1:]
    if len(digits) > 6:
        mant = digits[0] + "." + digits[1:6].rstrip("0")
        rows.append(("%sE+%d" % (mant, len(digits) - 1), home, "excel-scientific"))
    if rng.random() < 0.15:
        rows.append((intl + " ext. " + str(rng.randint(10, 9999)), home, "extension"))
    if rng.random() < 0.05:
        rows.append(("tel:" + e164, other, "rfc3966"))
    return rows


SPECIAL = [
    # The numbers named in the issue and their neighbours.
    ("+49 151 23457752", "US"),
    ("+49 151 23457752", ""),
    ("+49 151 23457752", "DE"),
    ("0049 151 23457752", "US"),
    ("0151 23457752", "DE"),
    ("0151 23457752", "US"),
    ("+55 11 91234-5678", "US"),
    ("+55 21 99876-5432", "BR"),
    ("(11) 91234-5678", "BR"),
    ("+1 425 555 0100", ""),
    ("(425) 555-0101", "US"),
    ("+44 7400 123401", ""),
    ("+1 800 FLOWERS", "US"),
    ("1-800-FLOWERS", "US"),
    ("+39 06 1234 5678", ""),
    ("+39 333 123 4567", "IT"),
    ("+44 (0) 7400 123456", ""),
    ("+33 (0)6 12 34 56 78", ""),
    ("+1 425 555 0100 x123", ""),
    ("+1 425 555 0100;ext=77", ""),
    ("12345", "US"),
    ("+", ""),
    ("00", "US"),
    ("n/a", "US"),
    ("4.25555E+11", "US"),
    ("+999 1234 5678", ""),
]


def main():
    if phonenumbers.__version__ != EXPECTED_VERSION:
        sys.exit("phonenumbers %s installed; the corpus needs %s (the metadata the Rust side embeds)"
                 % (phonenumbers.__version__, EXPECTED_VERSION))
    rng = random.Random(20261122)
    seen = {}
    for region in REGIONS:
        for n in mobiles(rng, region, 30):
            for raw, reg, form in forms(rng, n, region):
                seen.setdefault((raw, reg), form)
    for raw, reg in SPECIAL:
        seen.setdefault((raw, reg), "special")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["raw", "region", "valid", "graph", "form"])
    rows = []
    for (raw, reg), form in seen.items():
        r = reference(raw, reg)
        if r is None:
            continue
        rows.append([raw, reg, "true" if r[0] else "false", r[1], form])
    rows.sort()
    w.writerows(rows)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())
    valid = sum(1 for r in rows if r[2] == "true")
    print("%d rows (%d valid, %d invalid), %d regions -> %s"
          % (len(rows), valid, len(rows) - valid, len(REGIONS), os.path.normpath(OUT)))


if __name__ == "__main__":
    main()
