#!/usr/bin/env python3
"""Generate fixtures/campaign/: one small tenant (adatum.com) exported three weeks in a row during
an MFA registration campaign, for `--baseline` (progress.csv and the history).

    python3 scripts/make_campaign.py

Each week folder holds the Entra "Download users" export (1a, 29 columns, UTF-8 BOM, CRLF,
US-locale createdDateTime) and the portal's user registration details download (with the
isMfaRegistered column, methodsRegistered as a JSON array literal, BOM, CRLF). The newest
timestamp in each week is that week's as-of (09:00 UTC). Stdlib only, deterministic.
"""

import csv
import io
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "fixtures" / "campaign"
WEEKS = ["2026-11-14", "2026-11-21", "2026-11-28"]

USERS_HEADER = (
    "userPrincipalName,displayName,surname,mail,givenName,id,userType,jobTitle,department,"
    "accountEnabled,usageLocation,streetAddress,state,country,officeLocation,city,postalCode,"
    "telephoneNumber,mobilePhone,alternateEmailAddress,ageGroup,consentProvidedForMinor,"
    "legalAgeGroupClassification,companyName,creationType,directorySynced,invitationState,"
    "identityIssuer,createdDateTime"
).split(",")
REG_HEADER = (
    "id,userPrincipalName,userDisplayName,userType,isAdmin,isMfaRegistered,isMfaCapable,"
    "isSsprRegistered,defaultMfaMethod,methodsRegistered,lastUpdatedDateTime"
).split(",")

# Account states per week: None = not in the tenant that week. A state is
# (upn, registered, mobile, enabled): registered True / False / None (no registration row).
R, U, X = True, False, None
M = "+1 425 555 01{:02d}"


def acct(n, name, dept, created, weeks):
    return {"n": n, "name": name, "dept": dept, "created": created, "weeks": weeks}


def s(upn, reg, mobile=True, enabled=True):
    return (upn, reg, mobile, enabled)


OLD = "1/15/2024 9:00:00 AM"
ACCOUNTS = [
    # registers in week 2: registered, resolved not-registered and phone-not-prepopulated
    acct(1, "Alice Anders", "Sales", OLD,
         [s("alice@adatum.com", U), s("alice@adatum.com", R), s("alice@adatum.com", R)]),
    # registered throughout: no change
    acct(2, "Bob Brown", "Sales", OLD,
         [s("bob@adatum.com", R), s("bob@adatum.com", R), s("bob@adatum.com", R)]),
    # not registered, no phone in weeks 1-2 (no change), registers in week 3
    acct(3, "Carol Chen", "Finance", OLD,
         [s("carol@adatum.com", U, False), s("carol@adatum.com", U, False),
          s("carol@adatum.com", R, False)]),
    # the directory gets a mobile in week 2: missing-phone resolved, phone-not-prepopulated new
    acct(4, "Dave Diaz", "Finance", OLD,
         [s("dave@adatum.com", U, False), s("dave@adatum.com", U), s("dave@adatum.com", R)]),
    # loses its methods in week 2: regressed, new not-registered and phone-not-prepopulated
    acct(5, "Erin Evans", "IT", OLD,
         [s("erin@adatum.com", R), s("erin@adatum.com", U), s("erin@adatum.com", U)]),
    # leaves after week 1 (unregistered, then registered)
    acct(6, "Frank Fischer", "IT", OLD, [s("frank@adatum.com", U), None, None]),
    acct(7, "Grace Green", "HR", OLD, [s("grace@adatum.com", R), None, None]),
    # joins in week 2, not registered (registers in week 3)
    acct(8, "Heidi Hall", "HR", "11/17/2026 10:00:00 AM",
         [None, s("heidi@adatum.com", U), s("heidi@adatum.com", R)]),
    # joins in week 2, registered on day one
    acct(9, "Ivan Ivanov", "IT", "11/18/2026 2:30:00 PM",
         [None, s("ivan@adatum.com", R), s("ivan@adatum.com", R)]),
    # renamed in week 2 (same object id) and registers: one account, listed under the new UPN
    acct(10, "Judy Jones", "Sales", OLD,
         [s("judy.old@adatum.com", U), s("judy.jones@adatum.com", R),
          s("judy.jones@adatum.com", R)]),
    # no registration row in week 1 (registration-unknown), registered in week 2
    acct(12, "Niaj Nair", "Finance", OLD,
         [s("niaj@adatum.com", X), s("niaj@adatum.com", R), s("niaj@adatum.com", R)]),
    # disabled in week 2: out of scope, its findings resolve; registration unchanged
    acct(13, "Olivia Ortiz", "HR", OLD,
         [s("olivia@adatum.com", U), s("olivia@adatum.com", U, True, False),
          s("olivia@adatum.com", U, True, False)]),
]


def oid(n):
    return f"6d1c{n:04x}-2b7e-4c1a-9f3e-a1b2c3d4e5{n:02x}"


def csv_bytes(header, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    for r in rows:
        w.writerow([r.get(h, "") for h in header])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def main():
    if OUT.exists():
        shutil.rmtree(OUT)
    for wi, week in enumerate(WEEKS):
        users, regs = [], []
        for a in ACCOUNTS:
            st = a["weeks"][wi]
            if st is None:
                continue
            upn, reg, mobile, enabled = st
            given, surname = a["name"].split(" ")
            users.append({
                "userPrincipalName": upn, "displayName": a["name"], "surname": surname,
                "mail": upn, "givenName": given, "id": oid(a["n"]), "userType": "Member",
                "department": a["dept"], "accountEnabled": "True" if enabled else "False",
                "usageLocation": "US", "country": "United States", "companyName": "Adatum",
                "mobilePhone": M.format(a["n"]) if mobile else "",
                "identityIssuer": "adatum.onmicrosoft.com", "createdDateTime": a["created"],
            })
            if reg is None:
                continue
            methods = '["microsoftAuthenticatorPush","softwareOneTimePasscode"]' if reg else "[]"
            regs.append({
                "id": oid(a["n"]), "userPrincipalName": upn, "userDisplayName": a["name"],
                "userType": "member", "isAdmin": "False",
                "isMfaRegistered": "True" if reg else "False",
                "isMfaCapable": "True" if reg else "False",
                "isSsprRegistered": "True" if reg else "False",
                "defaultMfaMethod": "microsoftAuthenticatorPush" if reg else "none",
                "methodsRegistered": methods,
                # The newest timestamp of the week is its as-of, 09:00 UTC.
                "lastUpdatedDateTime": f"{week}T09:00:00Z" if a["n"] == 2
                else f"{week}T0{a['n'] % 8}:1{a['n'] % 6}:00Z",
            })
        folder = OUT / f"week-{week}"
        folder.mkdir(parents=True)
        y, m, d = week.split("-")
        stamp = f"{y}-{int(m)}-{int(d)}"
        (folder / f"exportUsers_{stamp}.csv").write_bytes(csv_bytes(USERS_HEADER, users))
        (folder / f"exportUserRegistrationDetails_{stamp}.csv").write_bytes(
            csv_bytes(REG_HEADER, regs))
        for p in sorted(folder.iterdir()):
            print(p.relative_to(ROOT))


if __name__ == "__main__":
    main()
