#!/usr/bin/env python3
"""Writes fixtures/ca/: a small tenant with Conditional Access policies (one per file, one of
them UTF-16 LE with BOM and PascalCase keys as PowerShell backups write them), group memberships
(nested, with a cycle), role assignments, and fixtures/ca/README.md whose table lists each
account's expected coverage and why. Deterministic: rerun and commit both."""
import csv, io, json, pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "fixtures" / "ca"
GA = "62e90394-69f5-4237-9190-012177145e10"
G_ADMINS, G_INNER, G_PILOT, G_BREAKGLASS = (
    "aaaaaaaa-0000-4000-8000-00000000000%d" % i for i in range(1, 5))

def uid(n):
    return "cccccccc-0000-4000-8000-%012d" % n

# (upn, number, guest, expected coverage, why)
ACCOUNTS = [
    ("alice@fabrikam.com", 1, False, "enforced", "in All users policy, full"),
    ("bob@fabrikam.com", 2, False, "partial", "excluded from the baseline by group Pilot; Office365-only policy applies"),
    ("carol@fabrikam.com", 3, False, "enforced", "in Pilot through nested group Inner (Inner<->Admins cycle) and a Global Administrator through role-assignable group Admins: admin policy is full"),
    ("breakglass@fabrikam.com", 4, False, "none", "excluded by user from every policy (break-glass)"),
    ("guest_ext#EXT#@fabrikam.onmicrosoft.com", 5, True, "partial", "guests excluded from the baseline; guest policy is report-only"),
]

def policy(pid, name, state, users, apps=None, controls=("mfa",), operator="OR", extra=None):
    p = {"id": pid, "displayName": name, "state": state,
         "conditions": {"users": users,
                        "applications": apps or {"includeApplications": ["All"], "excludeApplications": []},
                        "clientAppTypes": ["all"], "platforms": None, "locations": None},
         "grantControls": {"operator": operator, "builtInControls": list(controls)}}
    if extra:
        p["conditions"].update(extra)
    return p

def pascal(v):
    if isinstance(v, dict):
        return {k[0].upper() + k[1:]: pascal(x) for k, x in v.items()}
    if isinstance(v, list):
        return [pascal(x) for x in v]
    return v

def main():
    OUT.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["userPrincipalName", "displayName", "id", "userType", "accountEnabled"])
    for upn, n, guest, _, _ in ACCOUNTS:
        w.writerow([upn, upn.split("@")[0], uid(n), "Guest" if guest else "Member", "True"])
    (OUT / "exportUsers_2026-11-21.csv").write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode())
    bg = uid(4)
    pols = [
        policy("p-base", "Baseline: MFA for all users", "enabled",
               {"includeUsers": ["All"], "excludeUsers": [bg, "GuestsOrExternalUsers"],
                "excludeGroups": [G_PILOT]}),
        policy("p-o365", "Pilot: MFA for Office 365", "enabled",
               {"includeGroups": [G_PILOT], "excludeUsers": [bg]},
               apps={"includeApplications": ["Office365"]}),
        policy("p-admin", "Admins: MFA everywhere", "enabled",
               {"includeRoles": [GA], "excludeUsers": [bg]}),
        policy("p-guest", "Guests: MFA (report-only)", "enabledForReportingButNotEnforced",
               {"includeUsers": ["GuestsOrExternalUsers"], "excludeUsers": [bg]}),
        policy("p-block", "Block legacy auth", "enabled", {"includeUsers": ["All"]},
               controls=("block",), extra={"clientAppTypes": ["exchangeActiveSync", "other"]}),
    ]
    pdir = OUT / "policies"
    pdir.mkdir(exist_ok=True)
    for i, p in enumerate(pols):
        text = json.dumps(p, indent=2) + "\n"
        path = pdir / ("%02d-%s.json" % (i + 1, p["id"]))
        if i == 1:  # PowerShell backup: PascalCase keys, UTF-16 LE with BOM
            path.write_bytes(b"\xff\xfe" + (json.dumps(pascal(p), indent=2) + "\r\n").encode("utf-16-le"))
        else:
            path.write_bytes(text.encode())
    groups = {"value": [
        {"id": G_PILOT, "displayName": "Pilot", "members": [
            {"@odata.type": "#microsoft.graph.user", "id": uid(2), "userPrincipalName": "bob@fabrikam.com"},
            {"@odata.type": "#microsoft.graph.group", "id": G_INNER}]},
        {"id": G_INNER, "displayName": "Inner", "members": [
            {"@odata.type": "#microsoft.graph.user", "id": uid(3), "userPrincipalName": "carol@fabrikam.com"},
            {"@odata.type": "#microsoft.graph.group", "id": G_ADMINS}]},
        {"id": G_ADMINS, "displayName": "Admins", "members": [
            {"@odata.type": "#microsoft.graph.group", "id": G_INNER}]},
    ]}
    (OUT / "groups.json").write_text(json.dumps(groups, indent=2) + "\n")
    roles = {"value": [
        {"principalId": G_INNER, "roleDefinitionId": GA, "directoryScopeId": "/"},
        {"principalId": uid(1), "roleDefinitionId": GA, "directoryScopeId": "/administrativeUnits/x"},
    ]}
    (OUT / "roleAssignments.json").write_text(json.dumps(roles, indent=2) + "\n")
    lines = ["# CA fixture tenant", "",
             "Generated by `scripts/make_ca_fixture.py`. Audit it with",
             "`mfa-audit audit fixtures/ca/exportUsers_2026-11-21.csv --policies fixtures/ca/policies "
             "--groups fixtures/ca/groups.json --role-assignments fixtures/ca/roleAssignments.json`.",
             "The test `tests/coverage.rs` parses this table and compares it with `coverage.csv`.", "",
             "| account | expected coverage | why |", "|---|---|---|"]
    for upn, _, _, cov, why in ACCOUNTS:
        lines.append("| %s | %s | %s |" % (upn, cov, why))
    (OUT / "README.md").write_text("\n".join(lines) + "\n")

if __name__ == "__main__":
    main()
