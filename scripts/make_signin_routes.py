#!/usr/bin/env python3
"""Writes fixtures/formats/signin-routes/: ONE tenant's sign-ins exported through every route an
auditor receives them by, each route a folder with the same users and registration exports:

  portal-csv/      Entra admin center download: InteractiveSignIns_*.csv + NonInteractiveSignIns_*.csv
  portal-json/     the portal's JSON download: a bare array per tab
  graph-pages/     Graph auditLogs/signIns pages ({"value": [...]}), one per event type
  la-csv/          Log Analytics "Export to CSV (all columns)" of SigninLogs and
                   AADNonInteractiveUserSignInLogs: query_data.csv, query_data (1).csv
  la-json/         the same tables exported as JSON arrays
  archive/         a diagnostic-settings archive: insights-logs-*/.../PT1H.json (JSON lines, CRLF),
                   with re-delivered records, a service-principal category and a truncated last line
  summary/         the per-user summary the shipped queries compute (ISO dates, as from Spark)
  summary-la/      the same summary exported from Log Analytics ([UTC] headers, US locale dates)
  extractor/       the portal sign-ins, with registration from an incident-response suite's
                   MFA-AuthenticationMethods.csv instead of the registration details download

Every raw-log route carries the methods used at sign-in (docs/inputs.md, "Methods used at sign-in") as that route writes them:
the portal's "Multifactor authentication auth method" / "result" columns, Graph and archive
`authenticationDetails` arrays, Log Analytics `AuthenticationDetails` as JSON inside a cell
(pretty-printed with CRLF in the interactive table, compact or `[]` in the non-interactive one) and
`MfaDetail`. Every route must give the same latest telephony MFA step per account
(src/input/signins.rs tests); the summary routes do not carry it (the shipped queries do not
compute it yet).

The summary rows are computed here with the audit's counting rules (queries/README.md). Every
route must give the audit the same findings.csv (tests/signin_routes.rs). Deterministic; stdlib only.
"""

import csv
import io
import json
import os
import shutil
from datetime import datetime, timedelta, timezone

ROOT = os.path.join(os.path.dirname(__file__), "..", "fixtures", "formats", "signin-routes")
TENANT = "8f2b1c3d-4e5f-4a6b-9c7d-0e1f2a3b4c5d"
WINDOW = (datetime(2026, 10, 23, tzinfo=timezone.utc), datetime(2026, 11, 21, tzinfo=timezone.utc))

USERS = [
    # id, upn, display name, registered
    ("a1000000-0000-4000-8000-000000000001", "ann@tailspin.example", "Ann Archer", True),
    ("a1000000-0000-4000-8000-000000000002", "ben@tailspin.example", "Ben Brook", False),
    ("a1000000-0000-4000-8000-000000000003", "cat@tailspin.example", "Cat Cole", False),
    ("a1000000-0000-4000-8000-000000000004", "dan@tailspin.example", "Dan Dale", True),
    ("a1000000-0000-4000-8000-000000000005", "eve@tailspin.example", "Eve East", False),
]


def t(day, hour, minute=0, second=0):
    return datetime(2026, 10, 1, tzinfo=timezone.utc) + timedelta(days=day - 1, hours=hour, minutes=minute, seconds=second)


# (when, user index or None for a stranger, interactive, error code)
EVENTS = [
    (t(24, 8, 5), 0, True, 0),
    (t(50, 9, 12, 7), 0, True, 0),
    (t(50, 9, 40), 0, False, 0),
    # Ben is prompted to register and skips it.
    (t(30, 7, 1), 1, True, 50079),
    (t(45, 7, 3), 1, True, 50072),
    (t(49, 7, 4, 30), 1, True, 0),
    (t(49, 8, 0), 1, False, 50072),
    # Cat: one interactive sign-in long ago, then only refresh tokens ("Keep me signed in").
    (t(25, 10, 0), 2, True, 0),
    (t(40, 11, 0), 2, False, 0),
    (t(51, 6, 30, 15), 2, False, 0),
    (t(51, 6, 45), 2, False, 50126),
    # Dan: registered, signs in often; one failed password.
    (t(35, 12, 0), 3, True, 50126),
    (t(48, 13, 20), 3, True, 0),
    (t(51, 14, 2, 3), 3, False, 0),
    # A sign-in of someone not in the users export.
    (t(44, 9, 0), None, True, 0),
]
# The authentication steps of each event (same index as EVENTS): (method, succeeded). Password
# first; the MFA step, when there is one, last. Ann proves herself by text message on day 24 and
# by app notification later; Cat by a phone call on day 25; Ben's text message fails before the app
# succeeds; Dan's text message comes in a sign-in that failed (not counted), then he uses
# passwordless phone sign-in (the Authenticator app, not telephony) and a label this tool does not
# know. The stranger's text message is not anyone's in the users export.
STEPS = [
    [("Password", True), ("Text message", True)],
    [("Password", True), ("Mobile app notification", True)],
    [("Previously satisfied", True)],
    [("Password", True)],
    [("Password", True)],
    [("Password", True), ("Text message", False), ("Mobile app notification", True)],
    [],
    [("Password", True), ("Phone call approval (Authentication phone)", True)],
    [("Previously satisfied", True)],
    [("Previously satisfied", True)],
    [],
    [("Password", True), ("Text message", True)],
    [("Passwordless phone sign-in", True)],
    [("Previously satisfied", True), ("Passkey (synced)", True)],
    [("Password", True), ("Text message", True)],
]
assert len(STEPS) == len(EVENTS)


def mfa_step(n):
    """The step the portal shows in its MFA columns: the last non-password step, if any."""
    steps = [s for s in STEPS[n] if s[0] != "Password"]
    return steps[-1] if steps else None


def mfa_result(n):
    step = mfa_step(n)
    if step is None:
        return ""
    method, ok = step
    if method == "Previously satisfied":
        return "MFA requirement satisfied by claim in the token"
    if not ok:
        return "MFA denied; invalid verification code"
    return "MFA completed in Azure AD" if method == "Text message" else "MFA successfully completed"


def auth_details(n, d):
    """Graph's authenticationDetails items for event n (every step at the sign-in's second)."""
    return [{"authenticationStepDateTime": iso(d), "authenticationMethod": m,
             "authenticationMethodDetail": "+X XXXXXXXX42" if m == "Text message" else "",
             "succeeded": ok,
             "authenticationStepResultDetail": ("Correct password" if m == "Password" else
                                                "MFA completed in Azure AD" if ok else
                                                "MFA denied; invalid verification code"),
             "authenticationStepRequirement": "Primary authentication" if m == "Password" else ""}
            for (m, ok) in STEPS[n]]


# Service-principal sign-ins (not a user's), present in the Log Analytics and archive routes only
# because the portal and Graph put them in tabs / endpoints of their own.
SP_EVENTS = [(t(46, 3, 0), "ServicePrincipalSignInLogs"), (t(47, 3, 0), "ManagedIdentitySignInLogs")]

STATUS_TEXT = {0: "Success", 50126: "Failure"}


def status_text(code):
    if code in STATUS_TEXT:
        return STATUS_TEXT[code]
    return "Interrupted"


def who(u):
    if u is None:
        return ("f0000000-0000-4000-8000-00000000000f", "stranger@elsewhere.example", "Stranger")
    return USERS[u][:3]


def sid(i):
    return "c0ffee00-0000-4000-8000-%012d" % i


def iso(d):
    return d.strftime("%Y-%m-%dT%H:%M:%SZ")


def la_date(d):
    h = d.hour % 12 or 12
    ampm = "AM" if d.hour < 12 else "PM"
    return "%d/%d/%d, %d:%02d:%02d.%03d %s" % (d.month, d.day, d.year, h, d.minute, d.second, 0, ampm)


def write(path, text, bom=False, newline="\n"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline=newline) as f:
        f.write(text)


def csv_text(header, rows, quote_all=False):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def common(folder):
    users = csv_text(
        ["id", "displayName", "userPrincipalName", "userType", "accountEnabled", "mobilePhone", "usageLocation"],
        [[i, n, u, "Member", "True", "+1 425 555 01%02d" % k, "US"] for k, (i, u, n, _) in enumerate(USERS)],
    )
    write(os.path.join(folder, "exportUsers_2026-11-21.csv"), users, bom=True)
    reg = csv_text(
        ["id", "userPrincipalName", "userDisplayName", "userType", "isAdmin", "isMfaCapable", "isMfaRegistered",
         "methodsRegistered", "lastUpdatedDateTime"],
        [[i, u, n, "member", "False", str(r), str(r),
          '["microsoftAuthenticatorPush"]' if r else "[]", "2026-11-01T00:00:00Z"] for (i, u, n, r) in USERS],
    )
    write(os.path.join(folder, "exportUserRegistrationDetails_2026-11-21.csv"), reg, bom=True)


PORTAL_HEADER = ["Date (UTC)", "Request ID", "User agent", "Correlation ID", "User ID", "User", "Username",
                 "User type", "Application", "IP address", "Location", "Status", "Sign-in error code",
                 "Failure reason", "Client app", "Multifactor authentication result",
                 "Multifactor authentication auth method", "Multifactor authentication auth detail",
                 "Authentication requirement", "Conditional Access"]


def portal_csv(folder):
    for interactive, name in ((True, "InteractiveSignIns_2026-10-23_2026-11-21.csv"),
                              (False, "NonInteractiveSignIns_2026-10-23_2026-11-21.csv")):
        rows = []
        for n, (d, u, inter, code) in enumerate(EVENTS):
            if inter != interactive:
                continue
            uid, upn, dn = who(u)
            step = mfa_step(n)
            rows.append([iso(d), sid(n), "Mozilla/5.0", sid(100 + n), uid, dn, upn, "Member", "Office 365",
                         "203.0.113.%d" % (n + 1), "Seattle, Washington, US", status_text(code), str(code),
                         "" if code == 0 else "Other", "Browser", mfa_result(n), step[0] if step else "",
                         "+X XXXXXXXX42" if step and step[0] == "Text message" else "",
                         "singleFactorAuthentication", "notApplied"])
        write(os.path.join(folder, name), csv_text(PORTAL_HEADER, rows, quote_all=True), bom=True)


def graph_event(n, d, u, inter, code):
    uid, upn, dn = who(u)
    return {
        "id": sid(n),
        "createdDateTime": iso(d),
        "userDisplayName": dn,
        "userPrincipalName": upn,
        "userId": uid,
        "appDisplayName": "Office 365",
        "isInteractive": inter,
        "signInEventTypes": ["interactiveUser" if inter else "nonInteractiveUser"],
        "status": {"errorCode": code, "failureReason": "" if code == 0 else "Other", "additionalDetails": None},
        "authenticationRequirement": "singleFactorAuthentication",
        "mfaDetail": {"authMethod": mfa_step(n)[0], "authDetail": None} if mfa_step(n) else None,
        "authenticationDetails": auth_details(n, d),
        "appliedConditionalAccessPolicies": [],
    }


def portal_json(folder):
    for interactive, name in ((True, "InteractiveSignIns_2026-10-23_2026-11-21.json"),
                              (False, "NonInteractiveSignIns_2026-10-23_2026-11-21.json")):
        items = [graph_event(n, *e) for n, e in enumerate(EVENTS) if e[2] == interactive]
        write(os.path.join(folder, name), json.dumps(items, indent=2) + "\n")


def graph_pages(folder):
    for interactive, name in ((True, "signIns-interactiveUser.json"), (False, "signIns-nonInteractiveUser.json")):
        items = [graph_event(n, *e) for n, e in enumerate(EVENTS) if e[2] == interactive]
        page = {"@odata.context": "https://graph.microsoft.com/beta/$metadata#auditLogs/signIns", "value": items}
        write(os.path.join(folder, name), json.dumps(page, indent=2) + "\n")


# A real Log Analytics column order (a subset of the 70-95 columns), differing between tables.
LA_INTERACTIVE = ["TenantId", "SourceSystem", "TimeGenerated [UTC]", "ResourceId", "OperationName",
                  "OperationVersion", "Category", "ResultType", "ResultSignature", "ResultDescription",
                  "Identity", "Level", "Location", "AppDisplayName", "AppId", "AuthenticationDetails",
                  "AuthenticationRequirement", "ConditionalAccessStatus", "CreatedDateTime [UTC]",
                  "DeviceDetail", "IsInteractive", "Id", "IPAddress", "MfaDetail", "Status", "UserDisplayName",
                  "UserId", "UserPrincipalName", "UserType", "SignInEventTypes", "Type"]
LA_NONINTERACTIVE = ["TenantId", "SourceSystem", "TimeGenerated [UTC]", "ResourceId", "OperationName",
                     "OperationVersion", "Category", "ResultType", "ResultSignature", "ResultDescription",
                     "Identity", "Level", "Location", "AppDisplayName", "AppId", "AuthenticationDetails",
                     "AuthenticationRequirement", "ConditionalAccessPolicies", "CreatedDateTime [UTC]",
                     "DeviceDetail", "Id", "IPAddress", "IsInteractive", "SignInEventTypes", "Status",
                     "UserDisplayName", "UserId", "UserPrincipalName", "UserType", "Type"]


def la_row(n, d, u, inter, code, date_fmt):
    uid, upn, dn = who(u)
    status = {"errorCode": code, "failureReason": "Other" if code else None,
              "additionalDetails": "MFA requirement satisfied by claim in the token" if inter else None}
    return {
        "TenantId": TENANT, "SourceSystem": "Azure AD", "TimeGenerated [UTC]": date_fmt(d + timedelta(seconds=40)),
        "ResourceId": "/tenants/%s/providers/Microsoft.aadiam" % TENANT, "OperationName": "Sign-in activity",
        "OperationVersion": "1.0", "Category": "SignInLogs" if inter else "NonInteractiveUserSignInLogs",
        "ResultType": str(code), "ResultSignature": "None", "ResultDescription": "" if code == 0 else "Other",
        "Identity": dn, "Level": "4", "Location": "US", "AppDisplayName": "Office 365",
        "AppId": "00000002-0000-0ff1-ce00-000000000000",
        # A string holding a JSON array: pretty-printed with CRLF in the interactive table (as in
        # 2021 exports), compact in the non-interactive one (2026), `[]` when there are no steps.
        "AuthenticationDetails": (json.dumps(auth_details(n, d), indent=4).replace("\n", "\r\n") if inter
                                  else json.dumps(auth_details(n, d), separators=(",", ":"))),
        "MfaDetail": json.dumps({"authMethod": mfa_step(n)[0]}, separators=(",", ":")) if mfa_step(n) else "",
        "AuthenticationRequirement": "singleFactorAuthentication", "ConditionalAccessStatus": "notApplied",
        "ConditionalAccessPolicies": "[]", "CreatedDateTime [UTC]": date_fmt(d),
        "DeviceDetail": json.dumps({"operatingSystem": "Windows10", "browser": "Edge 120.0.0"}),
        "IsInteractive": "true" if inter else "false", "Id": sid(n), "IPAddress": "203.0.113.%d" % (n + 1),
        "Status": json.dumps(status, separators=(",", ":")), "UserDisplayName": dn, "UserId": uid,
        "UserPrincipalName": upn, "UserType": "Member",
        "SignInEventTypes": json.dumps(["interactiveUser" if inter else "nonInteractiveUser"]),
        "Type": "SigninLogs" if inter else "AADNonInteractiveUserSignInLogs",
    }


def sp_la_row(n, d, category, date_fmt, header):
    row = {k: "" for k in header}
    row.update({"TenantId": TENANT, "TimeGenerated [UTC]": date_fmt(d), "CreatedDateTime [UTC]": date_fmt(d),
                "Category": category, "ResultType": "0", "Id": sid(500 + n), "IsInteractive": "false",
                "UserPrincipalName": "", "UserId": "", "Type": "AAD" + category,
                "Status": json.dumps({"errorCode": 0}, separators=(",", ":"))})
    return row


def la_tables(date_fmt):
    inter = [la_row(n, *e, date_fmt) for n, e in enumerate(EVENTS) if e[2]]
    non = [la_row(n, *e, date_fmt) for n, e in enumerate(EVENTS) if not e[2]]
    # Someone exported the non-interactive table with a query that also pulled the
    # service-principal tables in (union *): those rows must be ignored, not used.
    non += [sp_la_row(n, d, c, date_fmt, LA_NONINTERACTIVE) for n, (d, c) in enumerate(SP_EVENTS)]
    return inter, non


def la_csv(folder):
    inter, non = la_tables(la_date)
    for name, header, rows in (("query_data.csv", LA_INTERACTIVE, inter),
                               ("query_data (1).csv", LA_NONINTERACTIVE, non)):
        write(os.path.join(folder, name), csv_text(header, [[r[h] for h in header] for r in rows]), bom=True)


def la_json(folder):
    def plain(d):
        return d.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    inter, non = la_tables(plain)
    for name, header, rows in (("query_data.json", LA_INTERACTIVE, inter),
                               ("query_data (1).json", LA_NONINTERACTIVE, non)):
        items = [{h.replace(" [UTC]", ""): r[h] for h in header} for r in rows]
        write(os.path.join(folder, name), json.dumps(items, indent=2) + "\n")


def archive_record(n, d, u, inter, code):
    uid, upn, dn = who(u)
    category = "SignInLogs" if inter else "NonInteractiveUserSignInLogs"
    return {
        "time": iso(d + timedelta(seconds=40)), "resourceId": "/tenants/%s/providers/Microsoft.aadiam" % TENANT,
        "operationName": "Sign-in activity", "operationVersion": "1.0", "category": category,
        "tenantId": TENANT, "resultType": str(code), "resultSignature": "None", "durationMs": 0,
        "callerIpAddress": "203.0.113.%d" % (n + 1), "correlationId": sid(100 + n), "identity": dn, "Level": 4,
        "location": "US",
        "properties": {
            "id": sid(n), "createdDateTime": d.strftime("%Y-%m-%dT%H:%M:%S.0000000+00:00"),
            "userDisplayName": dn, "userPrincipalName": upn, "userId": uid,
            "appId": "00000002-0000-0ff1-ce00-000000000000", "appDisplayName": "Office 365",
            "ipAddress": "203.0.113.%d" % (n + 1), "status": {"errorCode": code},
            "isInteractive": inter, "signInEventTypes": ["interactiveUser" if inter else "nonInteractiveUser"],
            "authenticationRequirement": "singleFactorAuthentication", "appliedConditionalAccessPolicies": [],
            "authenticationDetails": auth_details(n, d) if n < len(STEPS) else [],
        },
    }


def archive(folder):
    files = {}
    for n, e in enumerate(EVENTS):
        d, inter = e[0], e[2]
        container = "insights-logs-signinlogs" if inter else "insights-logs-noninteractiveusersigninlogs"
        files.setdefault((container, d.month, d.day, d.hour), []).append(
            json.dumps(archive_record(n, *e), separators=(", ", ": ")))
    for n, (d, category) in enumerate(SP_EVENTS):
        rec = {"time": iso(d), "category": category, "tenantId": TENANT, "resultType": "0",
               "properties": {"id": sid(500 + n), "createdDateTime": iso(d), "servicePrincipalId": sid(900 + n),
                              "status": {"errorCode": 0}, "isInteractive": False,
                              "signInEventTypes": ["servicePrincipal"]}}
        container = "insights-logs-" + category.lower()
        files.setdefault((container, d.month, d.day, d.hour), []).append(json.dumps(rec, separators=(", ", ": ")))
    keys = sorted(files)
    for i, key in enumerate(keys):
        container, month, day, hour = key
        lines = files[key]
        # About 3-4 % of records are delivered twice, byte-identical.
        if i % 4 == 1:
            lines = lines + [lines[0]]
        path = os.path.join(folder, container, "tenantId=%s" % TENANT, "y=2026", "m=%02d" % month, "d=%02d" % day,
                            "h=%02d" % hour, "m=00", "PT1H.json")
        write(path, "\r\n".join(lines) + "\r\n")
    # A blob still being appended: its last line is cut off mid-record.
    last = os.path.join(folder, "insights-logs-noninteractiveusersigninlogs", "tenantId=%s" % TENANT, "y=2026",
                        "m=11", "d=21", "h=00", "m=00", "PT1H.json")
    whole = json.dumps(archive_record(98, t(52, 0, 1), 3, False, 50126), separators=(", ", ": "))
    partial = json.dumps(archive_record(99, t(52, 0, 5), 2, False, 0), separators=(", ", ": "))
    write(last, whole + "\r\n" + partial[: len(partial) // 2])


def summary_rows():
    """The per-user summary by the audit's counting rules (queries/README.md)."""
    out = {}
    for d, u, inter, code in EVENTS:
        uid, upn, _ = who(u)
        s = out.setdefault(uid, {"userId": uid, "userPrincipalName": upn, "li": None, "ln": None, "p": 0, "n": 0})
        s["n"] += 1
        success = code == 0
        interrupted = code in (50072, 50074, 50076, 50079, 50097, 50125, 50140, 50158, 50199, 81010, 81012,
                               16000, 16001)
        if inter and (success or interrupted):
            s["li"] = max(filter(None, [s["li"], d]))
        if not inter and success:
            s["ln"] = max(filter(None, [s["ln"], d]))
        if inter and code in (50072, 50079):
            s["p"] += 1
    return [out[k] for k in sorted(out)]


SUMMARY_HEADER = ["userId", "userPrincipalName", "lastInteractiveSignIn", "lastNonInteractiveSignIn",
                  "registrationPrompts", "signIns", "windowStart", "windowEnd"]


def summary(folder, la):
    fmt = la_date if la else iso
    header = [h + (" [UTC]" if la and h in ("lastInteractiveSignIn", "lastNonInteractiveSignIn", "windowStart",
                                             "windowEnd") else "") for h in SUMMARY_HEADER]
    rows = [[s["userId"], s["userPrincipalName"], fmt(s["li"]) if s["li"] else "", fmt(s["ln"]) if s["ln"] else "",
             str(s["p"]), str(s["n"]), fmt(WINDOW[0]), fmt(WINDOW[1])] for s in summary_rows()]
    write(os.path.join(folder, "query_data.csv" if la else "signin-summary.csv"), csv_text(header, rows), bom=la)


def extractor(folder):
    """Registration as incident-response export suites write it: MFAstatus Enabled / Disabled
    (has an MFA method) and one True/False column per method."""
    os.remove(os.path.join(folder, "exportUserRegistrationDetails_2026-11-21.csv"))
    header = ["user", "MFAstatus", "email", "fido2", "app", "password", "phone", "softwareoath",
              "hellobusiness", "temporaryAccessPass", "certificateBasedAuthConfiguration"]
    rows = [[u, "Enabled" if r else "Disabled", "False", "False", str(r), "True", "False", "False",
             "False", "False", "False"] for (_, u, _, r) in USERS]
    write(os.path.join(folder, "MFA-AuthenticationMethods.csv"), csv_text(header, rows, quote_all=True))
    portal_csv(folder)


def main():
    if os.path.isdir(ROOT):
        shutil.rmtree(ROOT)
    routes = {
        "portal-csv": portal_csv, "portal-json": portal_json, "graph-pages": graph_pages, "la-csv": la_csv,
        "la-json": la_json, "archive": archive, "summary": lambda f: summary(f, False),
        "summary-la": lambda f: summary(f, True), "extractor": extractor,
    }
    for name, make in routes.items():
        folder = os.path.join(ROOT, name)
        common(folder)
        make(folder)
    print("wrote %d routes under %s" % (len(routes), os.path.normpath(ROOT)))


if __name__ == "__main__":
    main()
