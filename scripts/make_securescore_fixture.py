#!/usr/bin/env python3
"""Generate fixtures/securescore/ and fixtures/formats/secure-score/: a small tenant (tailspin.com)
with its Secure Score exports, for the Secure Score reconciliation (securescore.csv).

    python3 scripts/make_securescore_fixture.py      (after make_fixtures.py, which clears formats/)

fixtures/securescore/ holds the Entra "Download users" export (1a, UTF-8 BOM, CRLF, US-locale
createdDateTime), the registration details download (isMfaRegistered, methodsRegistered as a JSON
array literal, lastUpdatedDateTime), an exclusions list, and the three Secure Score exports as
Graph returns them: `secureScores.json` (GET /security/secureScores?$top=2, a page, newest
first, `count`/`total` as strings), `secureScoreControlProfiles.json` (GET
/security/secureScoreControlProfiles, a page) and `recommendations.json` (beta GET
/directory/recommendations?$expand=impactedResources, a page). Every reason securescore.csv can
give is planted on an account, each beside a near miss (see SCENARIO below and fixtures/README.md).

fixtures/formats/secure-score/ holds the same exports in the other shapes real tools write:
`{"Results": [...]}` (third-party wrappers) with a score object that carries neither control,
a Windows PowerShell 5.1 `Get-MgSecuritySecureScore | ConvertTo-Json -Depth 10` list (PascalCase,
`count`/`total` inside `AdditionalProperties`, `/Date(ms)/` dates), and the control profiles and
recommendations as bare lists. Stdlib only, deterministic.
"""

import csv
import io
import json
import shutil
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "fixtures" / "securescore"
FORMATS = ROOT / "fixtures" / "formats" / "secure-score"
DOMAIN = "tailspin.com"
TENANT = "6a1f3c2e-3b7d-4c55-9d0e-2f9b8a7c6d5e"
NS = uuid.UUID("1b671a64-40d5-491e-99b0-da01ff1f3341")
SCORE_DATE = "2026-11-20T02:00:00Z"
OLDER_DATE = "2026-11-19T02:00:00Z"

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

OLD = "1/15/2024 9:00:00 AM"
BEFORE = "2026-11-10T08:00:00Z"  # a registration change before the score's date
AFTER = "2026-11-20T15:30:00Z"  # ... after it
AT = SCORE_DATE  # exactly at it: not after


def oid(name):
    return str(uuid.uuid5(NS, name))


# name, display name, registered (True/False/None = no registration row), admin, options.
# Options: guest, disabled, created, updated (registration lastUpdatedDateTime).
# mfa / admin: how recommendations.json lists the account for MFARegistrationV2 / AdminMFAV2
# (None = not listed; a status; "subject:STATUS" = listed by subjectId only; "name:STATUS" =
# listed by display name only).
SCENARIO = [
    # name, display, registered, admin, mfa listing, admin listing, options
    ("alice", "Alice Archer", False, False, "active", None, {}),  # agree: no row
    ("bob", "Bob Baker", True, False, "active", None, {"updated": AFTER}),  # registered after
    ("carol", "Carol Cruz", True, False, "active", None, {"updated": BEFORE}),  # near miss: before
    ("sybil", "Sybil Stone", True, False, "active", None, {"updated": AT}),  # near miss: at
    ("dave", "Dave Dunn", False, False, "active", None, {"guest": True}),  # outside: guest
    ("erin", "Erin Evans", False, False, "active", None, {"disabled": True}),  # outside: disabled
    ("frank", "Frank Fox", False, False, "active", None, {}),  # outside: excluded (list)
    ("grace", "Grace Gill", False, False, "dismissed", None, {}),  # accepted by an admin
    ("heidi", "Heidi Hart", False, False, "postponed", None, {}),  # accepted by an admin
    ("ivan", "Ivan Ivers", False, False, "completedByUser", None, {}),  # MS compliant, we not
    ("judy", "Judy Jones", True, False, "completedBySystem", None, {}),  # near miss: agree
    ("mallory", "Mallory Moss", False, False, None, None,
     {"created": "11/20/2026 8:00:00 PM"}),  # created after the score's date
    ("niaj", "Niaj Noor", False, False, None, None, {}),  # we see not registered, MS not listing
    ("olivia", "Olivia Owens", True, False, None, None,
     {"updated": "2026-11-21T08:00:00Z"}),  # agree: no row (registered since, and not listed)
    ("peggy", "Peggy Park", True, False, "subject:active", None, {}),  # matched by subjectId
    ("rupert", "Rupert Rowe", False, False, "name:active", None, {}),  # by name, agree: no row
    ("trent", "Trent Tate", True, False, "name:active", None, {}),  # by name, differs
    ("sam1", "Sam Smith", True, False, None, None, {}),  # two Sam Smiths: a name decides nothing
    ("sam2", "Sam Smith", True, False, None, None, {}),
    ("victor", "Victor Vance", True, False, None, None, {}),
    ("wendy", "Wendy Wu", True, False, None, None, {}),
    ("xavier", "Xavier Xu", None, False, "active", None, {}),  # no registration row: unknown, agree
    # admins
    ("adele", "Adele Adams", False, True, "active", "active", {}),  # agree on both
    ("bruno", "Bruno Berg", True, True, None, "active", {"updated": BEFORE}),  # admin: we see registered
    ("celine", "Celine Cole", True, False, None, "active", {}),  # not an admin in our inputs
    ("dmitri", "Dmitri Drago", False, True, "active", None, {}),  # admin not listed by MS
    ("eve", "Eve Ellis", True, True, None, None, {}),  # agree
]
# Impacted resources that match no account: listed as "not in our inputs", never dropped.
# The last carries a UPN in additionalDetails that a spreadsheet would run as a formula.
GHOSTS = [
    ("MFARegistrationV2", oid("ghost"), "", "Gus Ghost", "active", None),
    ("MFARegistrationV2", "", "", "Sam Smith", "active", None),  # ambiguous display name
    ("MFARegistrationV2", oid("formula"), oid("formula"), "Formula Fred", "active",
     "@SUM(1+1)@tailspin.com"),
]


def upn(name, opts):
    if opts.get("guest"):
        return f"{name}_fabrikam.com#EXT#@{DOMAIN}"
    return f"{name}@{DOMAIN}"


def csv_bytes(header, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def users_rows():
    rows = []
    for n, (name, display, _reg, _adm, _m, _a, opts) in enumerate(SCENARIO):
        first, last = display.split(" ", 1)
        rows.append({
            "userPrincipalName": upn(name, opts), "displayName": display, "surname": last,
            "mail": f"{name}@{DOMAIN}", "givenName": first, "id": oid(name),
            "userType": "Guest" if opts.get("guest") else "Member", "department": "Operations",
            "accountEnabled": "False" if opts.get("disabled") else "True", "usageLocation": "US",
            "mobilePhone": f"+1 425 555 01{n:02d}", "companyName": "Tailspin Toys",
            "identityIssuer": "tailspin.onmicrosoft.com",
            "createdDateTime": opts.get("created", OLD),
        })
    return [[r.get(h, "") for h in USERS_HEADER] for r in rows]


def registration_rows():
    rows = []
    for name, display, reg, admin, _m, _a, opts in SCENARIO:
        if reg is None:
            continue
        methods = '["microsoftAuthenticatorPush","mobilePhone"]' if reg else "[]"
        rows.append([
            oid(name), upn(name, opts), display, "guest" if opts.get("guest") else "member",
            str(admin), str(reg), str(reg), str(reg),
            "microsoftAuthenticatorPush" if reg else "none", methods,
            opts.get("updated", "2026-11-01T09:00:00.0000000Z"),
        ])
    return rows


def control_score(name, score, count, total, category="Identity"):
    missing = int(total) - int(count)
    what = "users that aren't registered with MFA" if name == "MFARegistrationV2" else \
        "admins that aren't protected by MFA"
    return {
        "controlCategory": category, "controlName": name,
        "description": "Microsoft Entra ID control",
        "score": score, "scoreInPercentage": round(100 * int(count) / int(total), 2),
        "implementationStatus": f"You have {missing} out of {total} {what}.",
        "lastSynced": "2026-11-19T23:12:04Z", "count": count, "total": total,
        "IsApplicable": "true", "on": "2026-11-19T23:12:04Z",
    }


def score_object(date, mfa, admin):
    return {
        "id": f"{TENANT}_{date[:10]}", "azureTenantId": TENANT, "activeUserCount": 24,
        "createdDateTime": date, "currentScore": 41.5 + mfa[0] + admin[0], "licensedUserCount": 27,
        "maxScore": 98.0, "enabledServices": ["HasEXO", "HasSharePoint", "HasOD4B"],
        "averageComparativeScores": [
            {"basis": "AllTenants", "averageScore": 37.21},
            {"basis": "TotalSeats", "averageScore": 39.5, "seatSizeRangeLowerValue": "1",
             "seatSizeRangeUpperValue": "100"},
        ],
        "controlScores": [
            control_score("MFARegistrationV2", mfa[0], mfa[1], mfa[2]),
            control_score("AdminMFAV2", admin[0], admin[1], admin[2]),
            control_score("BlockLegacyAuthentication", 8.0, "1", "1"),
            control_score("SelfServicePasswordReset", 1.0, "1", "1"),
        ],
        "vendorInformation": {"provider": "SecureScore", "vendor": "Microsoft",
                              "providerVersion": None, "subProvider": None},
    }


def scores_page():
    return {
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#security/secureScores",
        "@odata.nextLink": "https://graph.microsoft.com/v1.0/security/secureScores?$top=2&$skip=2",
        "value": [
            score_object(SCORE_DATE, (5.63, "10", "16"), (3.33, "1", "3")),
            score_object(OLDER_DATE, (5.06, "9", "16"), (3.33, "1", "3")),
        ],
    }


def profile(pid, title, max_score, rank):
    return {
        "id": pid, "azureTenantId": TENANT, "actionType": "Config", "actionUrl":
        "https://entra.microsoft.com/#view/Microsoft_AAD_IAM/AuthenticationMethodsMenuBlade",
        "controlCategory": "Identity", "title": title, "deprecated": False,
        "implementationCost": "Low", "lastModifiedDateTime": None, "maxScore": max_score,
        "rank": rank, "remediation": f"<p>{title}.</p>", "remediationImpact": "",
        "service": "AzureAD", "threats": ["AccountBreach", "PasswordCracking"], "tier": "Core",
        "userImpact": "Moderate", "complianceInformation": [], "controlStateUpdates": [],
        "vendorInformation": {"provider": "SecureScore", "vendor": "Microsoft"},
    }


def profiles_page():
    return {
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#security/secureScoreControlProfiles",
        "value": [
            profile("AdminMFAV2", "Ensure multifactor authentication is enabled for all users in administrative roles", 10.0, 1),
            profile("MFARegistrationV2", "Ensure all users can complete multifactor authentication", 9.0, 2),
            profile("BlockLegacyAuthentication", "Enable Conditional Access policies to block legacy authentication", 8.0, 3),
        ],
    }


def resource(rec_id, rid, subject, display, status):
    return {
        "id": rid, "subjectId": subject, "recommendationId": rec_id, "resourceType": "user",
        "addedDateTime": "2026-10-01T04:11:52Z", "postponeUntilDateTime": None,
        "lastModifiedDateTime": "2026-11-19T23:12:04Z", "lastModifiedBy": None,
        "displayName": display, "owner": None, "rank": 1, "portalUrl":
        f"https://entra.microsoft.com/#view/Microsoft_AAD_UsersAndTenants/UserProfileMenuBlade/~/overview/userId/{subject or rid}",
        "apiUrl": None, "status": status, "additionalDetails": [],
    }


def listing(rec_id, name, display, how):
    if how.startswith("subject:"):
        return resource(rec_id, oid("rec-" + name), oid(name), display, how.split(":")[1])
    if how.startswith("name:"):
        return resource(rec_id, oid("rec-" + name), "", display, how.split(":")[1])
    return resource(rec_id, oid(name), oid(name), display, how)


def recommendation(kind, title, current, max_score, resources):
    rec_id = f"{TENANT}_Microsoft.Identity.IAM.Insights.{kind[0].upper() + kind[1:]}"
    return {
        "id": rec_id, "recommendationType": kind, "displayName": title,
        "category": "identitySecureScore", "benefits": "", "currentScore": current,
        "maxScore": max_score, "featureAreas": ["users"], "impactType": "users",
        "insights": "", "lastCheckedDateTime": "2026-11-20T01:40:11Z",
        "lastModifiedDateTime": "2026-11-19T23:12:04Z", "lastModifiedBy": "System",
        "postponeUntilDateTime": None, "priority": "high", "releaseType": "GA",
        "remediationImpact": "", "requiredLicenses": "notApplicable", "status": "active",
        "actionSteps": [], "impactedResources": [
            r if isinstance(r, dict) else listing(rec_id, *r) for r in resources],
    }


def recommendations_page():
    mfa, adm = [], []
    for name, display, _reg, _admin, m, a, _opts in SCENARIO:
        if m:
            mfa.append((name, display, m))
        if a:
            adm.append((name, display, a))
    rec_mfa = f"{TENANT}_Microsoft.Identity.IAM.Insights.MfaRegistrationV2"
    for _control, rid, subject, display, status, ghost_upn in GHOSTS:
        r = resource(rec_mfa, rid, subject, display, status)
        if ghost_upn:
            r["additionalDetails"] = [{"key": "userPrincipalName", "value": ghost_upn}]
        mfa.append(r)
    return {
        "@odata.context": "https://graph.microsoft.com/beta/$metadata#directory/recommendations(impactedResources())",
        "value": [
            recommendation("mfaRegistrationV2", "Ensure all users can complete multifactor authentication",
                           5.63, 9.0, mfa),
            recommendation("adminMFAV2", "Require multifactor authentication for administrative roles", 3.33, 10.0, adm),
            recommendation("integratedApps", "Remove unused applications", 0.0, 0.0,
                           [resource("x", oid("app1"), "", "Contoso Expense App", "active")]),
        ],
    }


def json_bytes(v):
    return (json.dumps(v, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def pascal(v):
    """A PowerShell SDK object as `ConvertTo-Json -Depth 10` writes it: PascalCase keys, the
    fields the SDK does not model (count, total, ...) inside AdditionalProperties, dates as
    Windows PowerShell 5.1 writes them."""
    if isinstance(v, list):
        return [pascal(x) for x in v]
    if not isinstance(v, dict):
        return v
    out, extra = {}, {}
    modelled = {"controlCategory", "controlName", "description", "score", "id", "azureTenantId",
                "activeUserCount", "createdDateTime", "currentScore", "licensedUserCount",
                "maxScore", "enabledServices", "averageComparativeScores", "controlScores",
                "vendorInformation", "basis", "averageScore", "provider", "vendor"}
    for k, x in v.items():
        if k == "createdDateTime":
            x = "/Date(1795140000000)/"  # 2026-11-20T02:00:00Z
        if k in modelled:
            out[k[0].upper() + k[1:]] = pascal(x)
        else:
            extra[k] = x
    if "controlName" in v:
        out["AdditionalProperties"] = extra
    return out


def main():
    for d in (OUT, FORMATS):
        if d.exists():
            shutil.rmtree(d)
        d.mkdir(parents=True)
    files = {
        OUT / "exportUsers_2026-11-21.csv": csv_bytes(USERS_HEADER, users_rows()),
        OUT / "exportUserRegistrationDetails_2026-11-21.csv": csv_bytes(REG_HEADER, registration_rows()),
        OUT / "mfa-exclusions.csv": csv_bytes(
            ["userPrincipalName", "reason", "expires"],
            [[f"frank@{DOMAIN}", "break-glass account, CAB-1182", "2027-06-30"]]),
        OUT / "secureScores.json": json_bytes(scores_page()),
        OUT / "secureScoreControlProfiles.json": json_bytes(profiles_page()),
        OUT / "recommendations.json": json_bytes(recommendations_page()),
    }
    newest = score_object(SCORE_DATE, (5.63, "10", "16"), (3.33, "1", "3"))
    no_controls = score_object(OLDER_DATE, (0, "1", "1"), (0, "1", "1"))
    no_controls["controlScores"] = no_controls["controlScores"][2:]
    files[FORMATS / "secure-score-results.json"] = json_bytes({"Results": [newest, no_controls]})
    files[FORMATS / "secureScores-powershell.json"] = json_bytes([pascal(newest)])
    files[FORMATS / "controlProfiles-list.json"] = json_bytes(profiles_page()["value"])
    files[FORMATS / "recommendations-list.json"] = json_bytes(recommendations_page()["value"])
    for p, b in sorted(files.items()):
        p.write_bytes(b)
        print(p.relative_to(ROOT))


if __name__ == "__main__":
    main()
