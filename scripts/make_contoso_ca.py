#!/usr/bin/env python3
"""Adds Conditional Access inputs to the demo tenant fixtures/contoso, so the README's demo
command shows enforcement coverage with no extra options:

  fixtures/contoso/ca-policies/          one policy per file, as backup tools export them
  fixtures/contoso/groups.json           Graph groups?$expand=members page
  fixtures/contoso/roleAssignments.json  Graph roleManagement/directory/roleAssignments page
  fixtures/contoso/authenticationMethodsPolicy.json  Graph policies/authenticationMethodsPolicy
  fixtures/contoso/authenticationStrengthPolicies.json  Graph policies/authenticationStrengthPolicies

and writes fixtures/contoso-coverage.md: the expected coverage of the accounts the policies
treat specially, and why (tests/coverage.rs checks it against coverage.csv; every other account
is expected `enforced` by the baseline policy). Run after scripts/make_fixtures.py (it reads the
account ids from fixtures/contoso/exportUsers_2026-11-21.csv). Deterministic; stdlib only.
"""

import csv
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
CONTOSO = ROOT / "fixtures" / "contoso"
GA = "62e90394-69f5-4237-9190-012177145e10"
G_EXCL = "5e1c0000-0000-4000-8000-000000000001"
G_PILOT = "5e1c0000-0000-4000-8000-000000000002"
G_HOLDOUTS = "5e1c0000-0000-4000-8000-000000000003"
AU = "/administrativeUnits/7d000000-0000-4000-8000-000000000001"
# Excluded from passkeys (Fido2) in the methods policy: a phone-only account left without a way out.
HOLDOUTS = ["weak.smsonly"]
# Excluded from system-preferred MFA: an account whose default method is SMS keeps using it.
G_SYSPREF_OFF = "5e1c0000-0000-4000-8000-000000000004"
SYSPREF_OFF = ["near.phone.app"]


def methods_policy():
    """The authentication methods policy: SMS and voice for everyone but no office phone (so
    weak.officephone, registered with an office phone only, has no usable method), Authenticator,
    software OTP and passkeys for everyone but the holdouts group, the registration campaign on."""
    def cfg(kind, cid, state, include=("all_users",), exclude=(), **extra):
        return {"@odata.type": "#microsoft.graph.%sAuthenticationMethodConfiguration" % kind,
                "id": cid, "state": state, **extra,
                "includeTargets": [{"id": i, "targetType": "group", "isRegistrationRequired": False}
                                   for i in include],
                "excludeTargets": [{"id": e, "targetType": "group"} for e in exclude]}
    return {
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/authenticationMethodsPolicy/$entity",
        "id": "authenticationMethodsPolicy", "displayName": "Authentication Methods Policy",
        "policyVersion": "1.5", "policyMigrationState": "migrationComplete",
        "registrationEnforcement": {"authenticationMethodsRegistrationCampaign": {
            "state": "enabled", "snoozeDurationInDays": 1, "enforceRegistrationAfterAllowedSnoozes": True,
            "excludeTargets": [],
            "includeTargets": [{"id": "all_users", "targetType": "group",
                                "targetedAuthenticationMethod": "microsoftAuthenticator"}]}},
        "systemCredentialPreferences": {"state": "enabled",
                                        "excludeTargets": [{"id": G_SYSPREF_OFF, "targetType": "group"}],
                                        "includeTargets": [{"id": "all_users", "targetType": "group"}]},
        "authenticationMethodConfigurations": [
            cfg("sms", "Sms", "enabled"),
            cfg("voice", "Voice", "enabled", isOfficePhoneAllowed=False),
            cfg("microsoftAuthenticator", "MicrosoftAuthenticator", "enabled", isSoftwareOathEnabled=False),
            cfg("softwareOath", "SoftwareOath", "enabled"),
            cfg("fido2", "Fido2", "enabled", exclude=[G_HOLDOUTS], isSelfServiceRegistrationAllowed=True),
            cfg("temporaryAccessPass", "TemporaryAccessPass", "enabled"),
            cfg("email", "Email", "disabled"),
        ],
    }


def ids():
    with open(CONTOSO / "exportUsers_2026-11-21.csv", encoding="utf-8-sig") as f:
        return {r["userPrincipalName"]: r["id"] for r in csv.DictReader(f)}


ADMINS = ["admin.authapp1", "admin.authapp2", "admin.fido2", "admin.whfb", "admin.noreg1",
          "admin.noreg2", "admin.phoneonly", "breakglass1", "breakglass2"]
EXCLUDED = ["breakglass1", "breakglass2", "svc.scanner", "exclusion.expired2", "weak.officephone",
            "admin.noreg2"]
PILOT = ["weak.officephone", "lee.gu"]
GUESTS = ["partner_fabrikam.com#EXT#@contoso.onmicrosoft.com", "vendor_northwind.com#EXT#@contoso.onmicrosoft.com"]

# (account, expected coverage, why): the accounts the policies treat specially.
EXPECTED = [
    ("breakglass1@contoso.com", "none",
     "excluded from CA001 and CA002 by group CA-MFA-Exclusions (break-glass; documented)"),
    ("breakglass2@contoso.com", "none",
     "excluded from CA001 and CA002 by group CA-MFA-Exclusions (break-glass; documented)"),
    ("admin.noreg2@contoso.com", "none",
     "a Global Administrator in group CA-MFA-Exclusions (not documented): excluded from CA001 and CA002"),
    ("svc.scanner@contoso.com", "none", "excluded from CA001 by group CA-MFA-Exclusions (documented)"),
    ("exclusion.expired2@contoso.com", "none",
     "excluded from CA001 by group CA-MFA-Exclusions; its documented exclusion expired 2026-10-15"),
    ("weak.officephone@contoso.com", "partial",
     "excluded from CA001 by group (not documented); CA004 covers Office 365 only"),
    ("lee.gu@contoso.com", "enforced", "CA001 (the pilot's Office 365 policy adds nothing)"),
    ("partner_fabrikam.com#EXT#@contoso.onmicrosoft.com", "partial",
     "guests excluded from CA001; CA003 for guests is report-only"),
    ("vendor_northwind.com#EXT#@contoso.onmicrosoft.com", "partial",
     "guests excluded from CA001; CA003 for guests is report-only"),
    ("admin.noreg1@contoso.com", "enforced", "CA001 and CA002 (Global Administrator)"),
]


PHISHING_RESISTANT = {
    "id": "00000000-0000-0000-0000-000000000004", "displayName": "Phishing-resistant MFA",
    "description": "Phishing-resistant, Passwordless methods for the strongest authentication, such as a FIDO2 security key",
    "policyType": "builtIn", "requirementsSatisfied": "mfa",
    "allowedCombinations": ["windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor"],
    "combinationConfigurations": []}
CUSTOM = {
    "id": "c5e1a9e7-0000-4000-8000-000000000001", "displayName": "Contoso app or key",
    "description": "Authenticator, a one-time code or a security key; no SMS", "policyType": "custom",
    "requirementsSatisfied": "mfa",
    "allowedCombinations": ["password,microsoftAuthenticatorPush", "password,softwareOath", "fido2",
                            "windowsHelloForBusiness"],
    "combinationConfigurations": []}
PASSWORDLESS_ID = "00000000-0000-0000-0000-000000000003"


def strength_ref(s, inline):
    """A policy's authenticationStrength: the whole object (as Graph returns it), or the id and
    name only (then the strengths export or the built-in list says what it allows)."""
    return dict(s) if inline else {"id": s["id"], "displayName": s["displayName"]}


def policy(pid, name, state, users, apps=None, controls=("mfa",), client=("all",), strength=None):
    return {
        "id": pid, "displayName": name, "state": state,
        "createdDateTime": "2026-03-02T10:00:00Z", "modifiedDateTime": "2026-09-14T08:30:00Z",
        "conditions": {
            "users": users,
            "applications": apps or {"includeApplications": ["All"], "excludeApplications": [],
                                     "includeUserActions": []},
            "clientAppTypes": list(client), "platforms": None, "locations": None,
            "signInRiskLevels": [], "userRiskLevels": [],
        },
        "grantControls": {"operator": "OR", "builtInControls": [] if strength else list(controls),
                          "authenticationStrength": strength},
        "sessionControls": None,
    }


def users(include=(), exclude=(), groups_in=(), groups_out=(), roles_in=(), guests_in=False, guests_out=False):
    u = {"includeUsers": list(include), "excludeUsers": list(exclude), "includeGroups": list(groups_in),
         "excludeGroups": list(groups_out), "includeRoles": list(roles_in), "excludeRoles": []}
    if guests_in:
        u["includeUsers"].append("GuestsOrExternalUsers")
    if guests_out:
        u["excludeUsers"].append("GuestsOrExternalUsers")
    return u


def main():
    uid = ids()
    who = lambda n: uid[n if "@" in n else n + "@contoso.com"]
    policies = [
        policy("ca000001-0000-4000-8000-000000000001", "CA001 Require MFA for all users", "enabled",
               users(include=["All"], groups_out=[G_EXCL], guests_out=True)),
        policy("ca000001-0000-4000-8000-000000000002", "CA002 Require MFA for admins", "enabled",
               users(roles_in=[GA], groups_out=[G_EXCL])),
        policy("ca000001-0000-4000-8000-000000000003", "CA003 Require MFA for guests",
               "enabledForReportingButNotEnforced", users(guests_in=True)),
        policy("ca000001-0000-4000-8000-000000000004", "CA004 MFA pilot for Office 365", "enabled",
               users(groups_in=[G_PILOT]),
               apps={"includeApplications": ["Office365"], "excludeApplications": [], "includeUserActions": []}),
        policy("ca000001-0000-4000-8000-000000000005", "CA005 Block legacy authentication", "enabled",
               users(include=["All"], exclude=[who("breakglass1")]), controls=("block",),
               client=("exchangeActiveSync", "other")),
        policy("ca000001-0000-4000-8000-000000000006", "CA006 Phishing-resistant MFA for admins", "enabled",
               users(roles_in=[GA], groups_out=[G_EXCL]), strength=strength_ref(PHISHING_RESISTANT, True)),
        policy("ca000001-0000-4000-8000-000000000007", "CA007 Pilot app or key for Office 365", "enabled",
               users(groups_in=[G_PILOT]),
               apps={"includeApplications": ["Office365"], "excludeApplications": [], "includeUserActions": []},
               strength=strength_ref(CUSTOM, False)),
        policy("ca000001-0000-4000-8000-000000000008", "CA008 Passwordless preview", "enabledForReportingButNotEnforced",
               users(include=["All"], groups_out=[G_EXCL], guests_out=True),
               strength={"id": PASSWORDLESS_ID, "displayName": "Passwordless MFA"}),
    ]
    folder = CONTOSO / "ca-policies"
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*.json"):
        old.unlink()
    for p in policies:
        name = p["displayName"].split(" ")[0] + ".json"
        (folder / name).write_text(json.dumps(p, indent=2) + "\n", encoding="utf-8")
    groups = {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#groups(id,displayName,members())",
              "value": [
                  {"id": G_EXCL, "displayName": "CA-MFA-Exclusions",
                   "members": [{"@odata.type": "#microsoft.graph.user", "id": who(n),
                                "userPrincipalName": n + "@contoso.com"} for n in EXCLUDED]},
                  {"id": G_PILOT, "displayName": "MFA-Pilot-O365",
                   "members": [{"@odata.type": "#microsoft.graph.user", "id": who(n),
                                "userPrincipalName": n + "@contoso.com"} for n in PILOT]},
                  {"id": G_HOLDOUTS, "displayName": "Passkey-Holdouts",
                   "members": [{"@odata.type": "#microsoft.graph.user", "id": who(n),
                                "userPrincipalName": n + "@contoso.com"} for n in HOLDOUTS]},
                  {"id": G_SYSPREF_OFF, "displayName": "SystemPreferred-Off",
                   "members": [{"@odata.type": "#microsoft.graph.user", "id": who(n),
                                "userPrincipalName": n + "@contoso.com"} for n in SYSPREF_OFF]},
              ]}
    (CONTOSO / "groups.json").write_text(json.dumps(groups, indent=2) + "\n", encoding="utf-8")
    assignments = [{"id": "ra-%02d" % i, "principalId": who(n), "roleDefinitionId": GA, "directoryScopeId": "/"}
                   for i, n in enumerate(ADMINS)]
    # Scoped to an administrative unit: not tenant-wide, so it makes no admin.
    assignments.append({"id": "ra-au", "principalId": who("lee.gu"), "roleDefinitionId": GA,
                        "directoryScopeId": AU})
    roles = {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#roleManagement/directory/roleAssignments",
             "value": assignments}
    (CONTOSO / "roleAssignments.json").write_text(json.dumps(roles, indent=2) + "\n", encoding="utf-8")
    strengths = {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/authenticationStrengthPolicies",
                 "value": [PHISHING_RESISTANT, CUSTOM]}
    (CONTOSO / "authenticationStrengthPolicies.json").write_text(json.dumps(strengths, indent=2) + "\n",
                                                                encoding="utf-8")
    (CONTOSO / "authenticationMethodsPolicy.json").write_text(json.dumps(methods_policy(), indent=2) + "\n",
                                                             encoding="utf-8")
    lines = ["# Contoso: expected Conditional Access coverage", "",
             "Generated by `scripts/make_contoso_ca.py` with the policies, groups and role assignments in",
             "`fixtures/contoso/` (`ca-policies/`, `groups.json`, `roleAssignments.json`). CA001 requires MFA",
             "for all users except group CA-MFA-Exclusions and guests; CA002 for Global Administrators except",
             "that group; CA003 for guests, report-only; CA004 for the pilot group, Office 365",
             "only; CA005 blocks legacy authentication (a block is not MFA); CA006 requires the built-in",
             "phishing-resistant strength of Global Administrators except that group; CA007 a custom strength",
             "(by id, from the strengths export) of the pilot group, Office 365 only; CA008 the built-in",
             "passwordless strength of everyone but that group and guests, report-only. Every account not listed below is",
             "expected `enforced` (CA001). `tests/coverage.rs` compares this table with `coverage.csv`.", "",
             "| account | expected coverage | why |", "|---|---|---|"]
    lines += ["| %s | %s | %s |" % e for e in EXPECTED]
    (ROOT / "fixtures" / "contoso-coverage.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("wrote %d policies, 4 groups, %d role assignments, the methods policy" % (len(policies), len(assignments)))


if __name__ == "__main__":
    main()
