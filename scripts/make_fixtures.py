#!/usr/bin/env python3
"""Generate the sample tenants under fixtures/ (deterministic, stdlib + openpyxl).

    python3 scripts/make_fixtures.py

Writes fixtures/contoso/ (the ~100-account demo tenant), fixtures/formats/ (one 6-account
tenant in every other input format) and fixtures/README.md. Every value comes from fixed data
or from hashes/seeded RNGs, so two runs give byte-identical files (XLSX and ZIP entries get a
fixed timestamp). The generated files are committed; CI never runs this script.

Before writing, a small reference evaluation of the contoso tenant (the rules of
docs/decisions.md re-stated in Python) checks that every account triggers exactly the finding
codes the README promises. It is a consistency check of the fixture data, not the product.
"""

import base64
import csv
import hashlib
import io
import json
import random
import re
import shutil
import sys
import uuid
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

try:
    import openpyxl
except ImportError:  # pragma: no cover
    sys.exit("openpyxl is needed for the .xlsx fixtures: pip install openpyxl")

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "fixtures"

AS_OF = datetime(2026, 11, 21, 9, 30, 0)  # UTC, the newest timestamp in every tenant
LOG_START = datetime(2026, 8, 1, 0, 0, 0)
STALE_AFTER = timedelta(days=14)
ACTIVE_WITHIN = timedelta(days=14)
DORMANT_AFTER = timedelta(days=90)
FIXED_ZIP_TIME = (2026, 11, 21, 9, 30, 0)

CODES = [
    "not-registered", "registration-unknown", "admin-not-registered",
    "admin-not-phishing-resistant", "weak-methods-only", "stale-kmsi", "registration-skipped",
    "dormant", "missing-phone", "phone-not-prepopulated", "invalid-phone", "shared-phone",
    "per-user-enabled-unregistered", "enforced-without-method", "exclusion-expired",
]
NR, RU, ANR, ANPR, WMO, SK, RS, D, MP, PNP, IP, SP, PUE, EWM, EE = CODES

# --------------------------------------------------------------------------------------------
# Deterministic helpers
# --------------------------------------------------------------------------------------------


def guid(*parts):
    """A random-looking but fixed lowercase GUID derived from the parts."""
    h = hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()[:16]
    return str(uuid.UUID(bytes=h, version=4))


def rng(*parts):
    return random.Random("|".join(str(p) for p in parts))


def token_id(*parts):
    h = hashlib.sha256(("tok|" + "|".join(str(p) for p in parts)).encode()).digest()[:16]
    return base64.urlsafe_b64encode(h).decode().rstrip("=")


def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def iso7(dt, *seed):
    """ISO 8601 with 7 fractional digits, like Graph's lastUpdatedDateTime."""
    frac = rng("frac", *seed).randrange(10**7)
    return dt.strftime("%Y-%m-%dT%H:%M:%S") + ".%07dZ" % frac


def us_locale(dt):
    """US-locale text as the Entra 'Download users' writes it: 3/14/2024 9:05:12 AM."""
    h = dt.hour % 12 or 12
    return "%d/%d/%d %d:%02d:%02d %s" % (dt.month, dt.day, dt.year, h, dt.minute, dt.second,
                                          "AM" if dt.hour < 12 else "PM")


def m365_date(dt):
    return dt.strftime("%Y-%m-%d %H:%M:%SZ")


def ts(s):
    return datetime.strptime(s, "%Y-%m-%d %H:%M:%S")


def write_bytes(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    WRITTEN.append(path)


def csv_text(header, rows, delimiter=",", quote_all=False, newline="\r\n"):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator=newline,
                   quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    if header is not None:
        w.writerow(header)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    return buf.getvalue()


def write_csv(path, header, rows, delimiter=",", quote_all=False, bom=False, newline="\r\n",
              encoding="utf-8", preamble=""):
    text = preamble + csv_text(header, rows, delimiter, quote_all, newline)
    data = text.encode(encoding)
    if bom:
        data = {"utf-8": b"\xef\xbb\xbf", "utf-16-le": b"\xff\xfe"}[encoding] + data
    write_bytes(path, data)


def write_json(path, obj):
    write_bytes(path, (json.dumps(obj, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def deterministic_zip(entries):
    """entries: list of (name, bytes). Fixed timestamps and attributes, deflate."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in entries:
            zi = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zi.create_system = 0
            z.writestr(zi, data)
    return buf.getvalue()


def save_xlsx(wb, path):
    """openpyxl stamps the current time into docProps/core.xml and every zip entry: fix both."""
    fixed = iso(AS_OF)
    wb.properties.creator = "mfa-audit fixtures"
    wb.properties.created = AS_OF
    wb.properties.modified = AS_OF
    raw = io.BytesIO()
    wb.save(raw)
    entries = []
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as z:
        for info in z.infolist():
            data = z.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                text = re.sub(r"(<dcterms:created[^>]*>)[^<]*(<)", r"\g<1>%s\2" % fixed, text)
                text = re.sub(r"(<dcterms:modified[^>]*>)[^<]*(<)", r"\g<1>%s\2" % fixed, text)
                data = text.encode("utf-8")
            entries.append((info.filename, data))
    write_bytes(path, deterministic_zip(entries))


WRITTEN = []

# --------------------------------------------------------------------------------------------
# Methods, phones
# --------------------------------------------------------------------------------------------

NOT_MFA = {"email", "securityQuestion", "temporaryAccessPass", "appPassword"}
PHONE_METHODS = {"mobilePhone", "alternateMobilePhone", "officePhone"}
PHISHING_RESISTANT = {"fido2SecurityKey", "fido2", "windowsHelloForBusiness", "passKeyDeviceBound",
                      "passKeyDeviceBoundAuthenticator", "passKeyDeviceBoundWindowsHello",
                      "macOsSecureEnclaveKey"}
PASSWORDLESS = PHISHING_RESISTANT | {"microsoftAuthenticatorPasswordless"}
SSPR_METHODS = {"mobilePhone", "alternateMobilePhone", "officePhone", "email",
                "microsoftAuthenticatorPush", "softwareOneTimePasscode", "securityQuestion"}

PUSH = ["microsoftAuthenticatorPush"]
PUSH_OTP = ["microsoftAuthenticatorPush", "softwareOneTimePasscode"]


def is_registered(methods):
    return any(m not in NOT_MFA for m in methods)


def default_method(methods):
    for m in ["microsoftAuthenticatorPush", "mobilePhone", "softwareOneTimePasscode",
              "alternateMobilePhone", "officePhone"]:
        if m in methods:
            return m
    return "none"


def legacy_methods(methods):
    """StrongAuthenticationMethods (MSOnline names) a user with these methods would show."""
    out = []
    if "softwareOneTimePasscode" in methods or "microsoftAuthenticatorPush" in methods:
        out.append("PhoneAppOTP")
    if "microsoftAuthenticatorPush" in methods:
        out.append("PhoneAppNotification")
    if "mobilePhone" in methods:
        out += ["OneWaySMS", "TwoWayVoiceMobile"]
    if "alternateMobilePhone" in methods:
        out.append("TwoWayVoiceAlternateMobile")
    if "officePhone" in methods:
        out.append("TwoWayVoiceOffice")
    return out


def legacy_default(legacy):
    for m in ["PhoneAppNotification", "OneWaySMS", "PhoneAppOTP", "TwoWayVoiceOffice"]:
        if m in legacy:
            return m
    return "-"


def e164(raw, region):
    """Reference normaliser for the phone values used here: '+CC digits' or None if invalid."""
    s = (raw or "").strip()
    if not s:
        return None
    if re.search(r"[A-Za-z.]", s):  # vanity letters, Excel '4.25555E+11'
        return None
    digits = re.sub(r"\D", "", s)
    if s.startswith("+"):
        e = digits
    elif region == "US" and len(digits) == 10:
        e = "1" + digits
    elif region == "US" and len(digits) == 11 and digits.startswith("1"):
        e = digits
    else:
        return None
    if re.fullmatch(r"1[2-9]\d{2}[2-9]\d{6}", e):
        return "+1 " + e[1:]
    if re.fullmatch(r"447[1-57-9]\d{8}", e) and not e.startswith("447700"):
        return "+44 " + e[2:]
    if re.fullmatch(r"4915[0-25-9]\d{8}", e):
        return "+49 " + e[2:]
    return None


def legacy_phone(norm):
    """+1 4255550100 as MSOnline StrongAuthenticationUserDetails.PhoneNumber shows it."""
    return norm


# --------------------------------------------------------------------------------------------
# Sign-in rows (portal CSV download, docs/inputs.md "Portal CSV download")
# --------------------------------------------------------------------------------------------

SIGNIN_HEADER = [
    "Date (UTC)", "Request ID", "User agent", "Correlation ID", "User ID", "User", "Username",
    "User type", "Cross tenant access type", "Incoming token type", "Authentication Protocol",
    "Unique token identifier", "Original transfer method", "Client credential type",
    "Token Protection - Sign In Session", "Token Protection - Sign In Session StatusCode",
    "Application", "Application ID ", "Resource", "Resource ID ", "Resource tenant ID",
    "Home tenant ID", "Home tenant name", "IP address", "Location", "Status",
    "Sign-in error code", "Failure reason", "Client app", "Device ID", "Browser",
    "Operating System", "Compliant", "Managed", "Join Type",
    "Multifactor authentication result", "Multifactor authentication auth method",
    "Multifactor authentication auth detail", "Authentication requirement",
    "Sign-in identifier", "Session ID", "IP address (seen by resource)",
    "Through Global Secure Access", "Global Secure Access IP address",
    "Autonomous system  number", "Flagged for review", "Token issuer type",
    "Incoming token type", "Token issuer name", "Latency", "Conditional Access",
    "Managed Identity type", "Associated Resource Id", "Federated Token Id",
    "Federated Token Issuer",
]
assert len(SIGNIN_HEADER) == 55

APPS_INTERACTIVE = [
    ("OfficeHome", "4765445b-32c6-49b0-83e6-1d93765276ca", "OfficeHome",
     "4765445b-32c6-49b0-83e6-1d93765276ca", "Browser"),
    ("One Outlook Web", "9199bf20-a13f-4107-85dc-02114787ef48", "Office 365 Exchange Online",
     "00000002-0000-0ff1-ce00-000000000000", "Browser"),
    ("Microsoft Teams", "1fec8e78-bce4-4aaf-ab1b-5451cc387264", "Microsoft Teams Services",
     "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe", "Mobile Apps and Desktop clients"),
    ("Microsoft Office", "d3590ed6-52b3-4102-aeff-aad2292ab01c", "Office 365 Exchange Online",
     "00000002-0000-0ff1-ce00-000000000000", "Mobile Apps and Desktop clients"),
]
APPS_NONINTERACTIVE = [
    ("Microsoft Office", "d3590ed6-52b3-4102-aeff-aad2292ab01c", "Office 365 Exchange Online",
     "00000002-0000-0ff1-ce00-000000000000", "Mobile Apps and Desktop clients"),
    ("Microsoft Teams", "1fec8e78-bce4-4aaf-ab1b-5451cc387264", "Microsoft Teams Services",
     "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe", "Mobile Apps and Desktop clients"),
    ("Microsoft Authentication Broker", "29d9ed98-a469-4536-ade2-f981bc1d605e",
     "Microsoft Graph", "00000003-0000-0000-c000-000000000000",
     "Mobile Apps and Desktop clients"),
    ("Office 365 SharePoint Online", "00000003-0000-0ff1-ce00-000000000000",
     "Office 365 SharePoint Online", "00000003-0000-0ff1-ce00-000000000000",
     "Mobile Apps and Desktop clients"),
]
CLIENTS = [  # user agent, browser, OS
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0", "Edge 130.0.0", "Windows10"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/131.0.0.0 Safari/537.36", "Chrome 131.0.0", "MacOs"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
     "(KHTML, like Gecko) Mobile/15E148", "Mobile Safari", "Ios 18.1"),
    ("Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.18129; Pro)",
     "Rich Client 16.0.18129.20158", "Windows10"),
]
PLACES = {
    "US": (["Redmond, Washington, US", "Seattle, Washington, US", "Bellevue, Washington, US"],
           "203.0.113.", "7922"),
    "GB": (["London, England, GB", "Manchester, England, GB"], "198.51.100.", "2856"),
    "DE": (["Munich, Bayern, DE", "Berlin, Berlin, DE"], "192.0.2.", "3320"),
}
FAILURE_REASON = {
    0: "",
    50126: "Error validating credentials due to invalid username or password.",
    50074: "Strong Authentication is required.",
    50076: "Due to a configuration change made by your administrator, or because you moved to "
           "a new location, you must use multi-factor authentication to access the resource.",
    50072: "User needs to enroll for second factor authentication (interactive).",
    50079: "Due to a configuration change made by your administrator, or because you moved to "
           "a new location, you must enroll in multi-factor authentication to access the "
           "resource.",
    50140: "This error occurred due to 'Keep me signed in' interrupt when the user was "
           "signing in.",
    50057: "The user account is disabled.",
}


class Ev:
    """One sign-in event of one user."""

    def __init__(self, kind, when, status="Success", code=0):
        assert kind in ("I", "N")
        assert when <= AS_OF, when
        self.kind, self.when, self.status, self.code = kind, when, status, code

    @property
    def counted_interactive(self):
        return self.kind == "I" and self.status in ("Success", "Interrupted")


def I(s, status="Success", code=0):  # noqa: E743 - short on purpose, reads like the data
    return Ev("I", ts(s), status, code)


def N(s, status="Success", code=0):
    return Ev("N", ts(s), status, code)


def spread(key, kind, first, last, count):
    """count events between first and last, the last one exactly at `last`."""
    r = rng("spread", key, kind, first, last)
    out = [Ev(kind, last)]
    span = int((last - first).total_seconds())
    for _ in range(count - 1):
        if span <= 0:
            break
        out.append(Ev(kind, first + timedelta(seconds=r.randrange(span))))
    return out


def signin_record(user, ev, tenant_id, tenant_name, idx):
    """All facts of one sign-in row, shared by the CSV, XLSX and JSON writers."""
    upn = user["upn"]
    r = rng("row", upn, ev.kind, iso(ev.when), ev.status, ev.code, idx)
    apps = APPS_INTERACTIVE if ev.kind == "I" else APPS_NONINTERACTIVE
    app = apps[r.randrange(len(apps))]
    client = CLIENTS[r.randrange(len(CLIENTS))]
    if app[4] == "Browser" and client[1].startswith("Rich Client"):
        client = CLIENTS[0]
    places, ip_prefix, asn = PLACES.get(user.get("usage") or "US", PLACES["US"])
    registered = user.get("reg") is not None and is_registered(user["reg"])
    methods = user.get("reg") or []
    ok = ev.status == "Success"
    if registered and ok:
        requirement = "Multifactor authentication"
        if ev.kind == "I" and r.random() < 0.5:
            if "microsoftAuthenticatorPush" in methods:
                mfa = ("MFA successfully completed", "Mobile app notification", "")
            elif any(m in methods for m in ("fido2SecurityKey", "windowsHelloForBusiness")):
                mfa = ("MFA requirement satisfied by claim in the token", "Previously satisfied",
                       "")
            elif "softwareOneTimePasscode" in methods:
                mfa = ("MFA successfully completed", "OATH verification code", "")
            else:
                n = e164(user.get("mobile"), user.get("usage")) or "+1 4255550000"
                mfa = ("MFA successfully completed", "Text message",
                       "+X XXXXXXXX" + n.replace(" ", "")[-2:])
        else:
            mfa = ("MFA requirement satisfied by claim in the token", "Previously satisfied", "")
        ca = "Success"
    elif ev.code in (50074, 50076):
        requirement = "Multifactor authentication"
        mfa = ("", "", "")
        ca = "Not Applied"
    else:
        requirement = "Single-factor authentication"
        mfa = ("", "", "")
        ca = "Not Applied"
    managed = user.get("managed", r.random() < 0.5)
    device = guid("device", upn) if managed else ""
    ip = ip_prefix + str(10 + r.randrange(200))
    if ev.kind == "I":
        incoming = "None"
    else:
        incoming = "Primary refresh token" if managed else "None"
    return {
        "when": ev.when, "kind": ev.kind, "status": ev.status, "code": ev.code,
        "request_id": guid("req", upn, ev.kind, iso(ev.when), ev.code, idx),
        "correlation_id": guid("corr", upn, ev.kind, iso(ev.when), idx),
        "session_id": guid("sess", upn, ev.when.date().isoformat()),
        "user_agent": client[0], "browser": client[1], "os": client[2],
        "user_id": user["id"], "display": user["display"], "upn": upn,
        "user_type": user.get("utype", "Member"),
        "cross_tenant": "B2B collaboration" if user.get("utype") == "Guest" else "None",
        "incoming": incoming, "token": token_id(upn, iso(ev.when), ev.kind, idx),
        "app": app[0], "app_id": app[1], "resource": app[2], "resource_id": app[3],
        "client_app": app[4], "tenant_id": tenant_id,
        "home_tenant_id": user.get("home_tenant", tenant_id),
        "home_tenant_name": user.get("home_tenant_name", tenant_name),
        "ip": ip, "location": places[r.randrange(len(places))], "asn": asn,
        "device_id": device, "compliant": "True" if managed else "False",
        "managed": "True" if managed else "False",
        "join": "Microsoft Entra joined" if managed else "",
        "mfa_result": mfa[0], "mfa_method": mfa[1], "mfa_detail": mfa[2],
        "requirement": requirement, "ca": ca, "latency": str(40 + r.randrange(400)),
        "methods": methods,
    }


def signin_csv_row(rec, date_value=None):
    return [
        iso(rec["when"]) if date_value is None else date_value, rec["request_id"],
        rec["user_agent"], rec["correlation_id"], rec["user_id"], rec["display"], rec["upn"],
        rec["user_type"], rec["cross_tenant"], rec["incoming"], "None", rec["token"], "None",
        "None", "Unbound", "", rec["app"], rec["app_id"], rec["resource"], rec["resource_id"],
        rec["tenant_id"], rec["home_tenant_id"], rec["home_tenant_name"], rec["ip"],
        rec["location"], rec["status"], str(rec["code"]), FAILURE_REASON.get(rec["code"], ""),
        rec["client_app"], rec["device_id"], rec["browser"], rec["os"], rec["compliant"],
        rec["managed"], rec["join"], rec["mfa_result"], rec["mfa_method"], rec["mfa_detail"],
        rec["requirement"], rec["upn"], rec["session_id"], rec["ip"], "No", "", rec["asn"], "No",
        "AzureAD", rec["incoming"], "", rec["latency"], rec["ca"], "", "", "", "",
    ]


def signin_records(users, tenant_id, tenant_name):
    recs = []
    for u in users:
        for i, ev in enumerate(u.get("events", [])):
            recs.append(signin_record(u, ev, tenant_id, tenant_name, i))
    recs.sort(key=lambda r: (r["when"], r["request_id"]), reverse=True)  # newest first
    return recs


# --------------------------------------------------------------------------------------------
# Contoso: the demo tenant
# --------------------------------------------------------------------------------------------

CONTOSO_TENANT = guid("tenant", "contoso")
FABRIKAM_PARTNER_TENANT = guid("tenant", "fabrikam-partner")
NORTHWIND_TENANT = guid("tenant", "northwind")


def active(key, usage="US", last_int_days=None, n_int=4, n_non=7, first=None):
    """A normal active user: interactive in the last days, non-interactive through yesterday."""
    r = rng("active", key)
    if last_int_days is None:
        last_int = AS_OF - timedelta(minutes=r.randrange(2 * 60, 5 * 24 * 60 - 60))
    else:
        last_int = AS_OF - timedelta(days=last_int_days, minutes=r.randrange(60, 600))
    last_non = AS_OF - timedelta(minutes=r.randrange(15, 36 * 60))
    first = first or LOG_START + timedelta(hours=r.randrange(7, 20 * 24))
    evs = spread(key, "I", first, last_int, n_int) + spread(key, "N", first, last_non, n_non)
    return evs


def contoso_accounts():
    A = []

    def add(upn, display, dept="", job="", mobile="", usage="US", reg=(), admin=False,
            roles="-", per_user="Disabled", events=None, expect=(), why="", enabled=True,
            utype="Member", license_="Licensed", synced=False, mfa_email="-", **kw):
        given, _, surname = display.partition(" ")
        if not re.fullmatch(r"[A-Za-z][A-Za-z.'-]*", given or "x"):
            given, surname = "", ""
        A.append(dict(upn=upn, id=guid("contoso-user", upn), display=display, given=given,
                      surname=surname, dept=dept, job=job, mobile=mobile, usage=usage,
                      reg=None if reg is None else list(reg), admin=admin, roles=roles,
                      per_user=per_user, events=events if events is not None else active(upn),
                      expect=set(expect), why=why, enabled=enabled, utype=utype,
                      license=license_, synced=synced, mfa_email=mfa_email, **kw))

    # --- stale "Keep me signed in" --------------------------------------------------------
    add("stale.kmsi1@contoso.com", "Stale Kmsi One", "Sales", "Account Executive",
        "+1 425 555 0110", reg=[],
        events=[I("2026-08-04 08:12:44"), I("2026-09-02 14:05:10")]
        + spread("stale.kmsi1", "N", ts("2026-08-05 00:00:00"), ts("2026-11-20 22:41:07"), 9),
        expect=[NR, SK, PNP],
        why="unregistered; last interactive 2026-09-02 (80 d), refresh-token sign-ins through "
            "yesterday; valid mobile to pre-populate")
    add("stale.kmsi2@contoso.com", "Stale Kmsi Two", "Operations", "Warehouse Lead", "",
        reg=[], events=[I("2026-08-15 07:58:02", "Interrupted", 50140), I("2026-08-15 07:58:31")]
        + spread("stale.kmsi2", "N", ts("2026-08-16 00:00:00"), ts("2026-11-21 08:55:12"), 9),
        expect=[NR, SK, MP],
        why="unregistered; only interactive sign-in 2026-08-15 (KMSI 50140 then success), "
            "non-interactive this morning; no phone anywhere")
    add("stale.kmsi3@contoso.com", "Stale Kmsi Three", "Finance", "Accountant",
        "(425) 555-0111", reg=["email"],
        events=[I("2026-10-01 16:20:00")]
        + spread("stale.kmsi3", "N", ts("2026-08-10 00:00:00"), ts("2026-11-19 12:03:44"), 8),
        expect=[NR, SK, PNP],
        why="email only (not an MFA method) = not registered; last interactive 2026-10-01; "
            "national US mobile (usageLocation US) is usable")
    add("stale.failedonly@contoso.com", "Stale Failed Only", "Marketing", "Designer",
        "+1 425 555 0112", reg=[],
        events=[I("2026-08-20 10:11:12", "Failure", 50126), I("2026-09-05 09:15:00", "Failure",
                                                              50126)]
        + spread("stale.failedonly", "N", ts("2026-08-02 00:00:00"), ts("2026-11-20 18:20:00"),
                 8),
        expect=[NR, SK, PNP],
        why="only FAILED interactive sign-ins (50126, Aug/Sep) - failures do not count - and a "
            "non-interactive sign-in yesterday: stale-kmsi")
    add("stale.failedrecent@contoso.com", "Stale Failed Recent", "Sales", "Sales Associate",
        "+1 425 555 0113", reg=[],
        events=[I("2026-09-22 08:30:00"), I("2026-11-17 07:45:10", "Failure", 50126),
                I("2026-11-20 07:46:02", "Failure", 50126)]
        + spread("stale.failedrecent", "N", ts("2026-08-03 00:00:00"),
                 ts("2026-11-20 19:02:33"), 8),
        expect=[NR, SK, PNP],
        why="last counted interactive 2026-09-22; two RECENT failed (50126) interactive "
            "attempts must not reset the clock")
    # --- registration prompts ----------------------------------------------------------------
    add("regskip.prompt1@contoso.com", "Regskip Prompt One", "Engineering", "Developer",
        "+1 425 555 0116", reg=[],
        events=[I("2026-10-20 09:00:00"), I("2026-11-10 08:01:13", "Interrupted", 50072),
                I("2026-11-10 08:02:02"), I("2026-11-18 08:14:55", "Interrupted", 50079),
                I("2026-11-18 08:15:40")]
        + spread("regskip.prompt1", "N", ts("2026-08-06 00:00:00"), ts("2026-11-20 21:10:00"),
                 7),
        expect=[NR, RS, PNP],
        why="prompted to register (50072, 50079 Interrupted) and skipped; interrupted sign-ins "
            "count as interactive, so NOT stale-kmsi")
    add("regskip.prompt2@contoso.com", "Regskip Prompt Two", "HR", "HR Generalist", "",
        reg=[],
        events=[I("2026-11-19 13:40:00", "Interrupted", 50079), I("2026-11-19 13:40:51")]
        + spread("regskip.prompt2", "N", ts("2026-08-12 00:00:00"), ts("2026-11-20 16:00:00"),
                 6),
        expect=[NR, RS, MP],
        why="50079 enrollment prompt two days ago, still not registered; no phone")
    add("regskip.stale@contoso.com", "Regskip Stale", "Operations", "Driver", "", reg=[],
        events=[I("2026-09-10 08:59:30", "Interrupted", 50072), I("2026-09-10 09:00:05")]
        + spread("regskip.stale", "N", ts("2026-08-01 12:00:00"), ts("2026-11-20 06:30:00"), 8),
        expect=[NR, RS, SK, MP],
        why="skipped the 50072 prompt on 2026-09-10, never interactive since, refresh tokens "
            "keep it alive")
    # --- near misses around stale-kmsi -------------------------------------------------------
    add("near.stale13d@contoso.com", "Near Stale Thirteen", "Sales", "Sales Associate",
        "+1 425 555 0114", reg=[],
        events=[I("2026-09-10 11:00:00"), I("2026-11-08 10:00:00")]
        + spread("near.stale13d", "N", ts("2026-08-09 00:00:00"), ts("2026-11-20 20:20:20"), 8),
        expect=[NR, PNP],
        why="NOT stale-kmsi: last counted interactive 2026-11-08 10:00, 13 days before as-of "
            "(inside the 14-day threshold)")
    add("near.inactive15d@contoso.com", "Near Inactive Fifteen", "Finance", "Analyst",
        "+1 425 555 0115", reg=[],
        events=[I("2026-09-01 09:30:00")]
        + spread("near.inactive15d", "N", ts("2026-08-14 00:00:00"), ts("2026-11-06 08:00:00"),
                 6),
        expect=[NR, PNP],
        why="NOT stale-kmsi: old interactive sign-in but last non-interactive 2026-11-06, 15 days "
            "before as-of (outside --active-within 14)")
    # --- dormant -------------------------------------------------------------------------------
    add("dormant.left1@contoso.com", "Dormant Left One", "Marketing", "Copywriter",
        "+1 425 555 0117", reg=PUSH, per_user="Enforced", events=[], expect=[D],
        why="registered but no sign-in of any kind in the logs (Aug 1 - Nov 21)")
    add("dormant.91d@contoso.com", "Dormant Ninety One", "Engineering", "QA Engineer",
        "+1 425 555 0118", reg=PUSH_OTP,
        events=[I("2026-08-05 08:40:00"), N("2026-08-12 10:00:00"), N("2026-08-22 08:00:00")],
        expect=[D], why="last sign-in 2026-08-22 08:00, 91 days before as-of")
    add("dormant.noreg@contoso.com", "Dormant No Reg", "Operations", "Seasonal Worker", "",
        reg=[], events=[], expect=[NR, D, MP],
        why="never signed in, never registered, no phone")
    add("near.dormant89d@contoso.com", "Near Dormant Eighty Nine", "Finance", "Controller",
        "+1 425 555 0119", reg=PUSH,
        events=[N("2026-08-20 07:00:00"), I("2026-08-24 10:00:00")], expect=[],
        why="NOT dormant: last sign-in 2026-08-24 10:00, 89 days before as-of")
    # --- phones --------------------------------------------------------------------------------
    add("missing.phone1@contoso.com", "Missing Phone One", "Sales", "Sales Associate", "",
        reg=[], expect=[NR, MP], why="unregistered, no mobile, no authentication phone")
    add("missing.phone2@contoso.com", "Missing Phone Two", "IT", "Technician", "", reg=None,
        per_user=None, expect=[RU, MP],
        why="no registration row at all (unknown) and no mobile")
    add("prepop.phone1@contoso.com", "Prepop Phone One", "Sales", "Sales Associate",
        "+1 425 555 0100", reg=[], expect=[NR, PNP],
        why="unregistered with a valid international mobile: goes to the pre-population file")
    add("prepop.phone2@contoso.com", "Prepop Phone Two", "Marketing", "Event Planner",
        "(425) 555-0101", reg=None, per_user=None, expect=[RU, PNP],
        why="no registration row; national US mobile with usageLocation US -> +1 4255550101")
    add("prepop.phone3@contoso.com", "Prepop Phone Three", "Sales", "Account Manager",
        "+44 7400 123401", usage="GB", reg=[], expect=[NR, PNP],
        events=active("prepop.phone3", "GB"),
        why="unregistered, valid UK mobile")
    add("prepop.phone4@contoso.com", "Prepop Phone Four", "Engineering", "Engineer",
        "+49 151 23456789", usage="DE", reg=None, per_user=None, expect=[RU, PNP],
        events=active("prepop.phone4", "DE"),
        why="no registration row, valid German mobile")
    add("invalid.phone1@contoso.com", "Invalid Phone One", "IT", "Technician", "12345",
        reg=PUSH, expect=[IP], why="registered; directory mobile '12345' is not a number")
    add("invalid.phone2@contoso.com", "Invalid Phone Two", "Sales", "Telesales", "555-CALL-NOW",
        reg=[], expect=[NR, IP, MP],
        why="unregistered; vanity text '555-CALL-NOW' is not a usable number -> missing-phone")
    add("invalid.phone3@contoso.com", "Invalid Phone Three", "Finance", "Clerk", "4.25555E+11",
        reg=None, per_user=None, expect=[RU, IP, MP],
        why="no registration row; mobile mangled by Excel to '4.25555E+11'")
    add("shared.phone1@contoso.com", "Shared Phone One", "Operations", "Shift Lead",
        "+1 425 555 0199", reg=PUSH, expect=[SP], why="same number as shared.phone2")
    add("shared.phone2@contoso.com", "Shared Phone Two", "Operations", "Shift Lead",
        "(425) 555-0199", reg=PUSH_OTP, expect=[SP],
        why="'(425) 555-0199' (US) normalises to the same +1 4255550199 as shared.phone1")
    add("shared.phone3@contoso.com", "Shared Phone Three", "Sales", "Account Manager",
        "+44 7400 123450", usage="GB", reg=PUSH, expect=[SP],
        events=active("shared.phone3", "GB"), why="same UK number as shared.phone4")
    add("shared.phone4@contoso.com", "Shared Phone Four", "Sales", "Sales Assistant",
        "+447400123450", usage="GB", reg=PUSH, expect=[SP],
        events=active("shared.phone4", "GB"), why="'+447400123450' = shared.phone3's number")
    # --- per-user MFA ----------------------------------------------------------------------------
    add("peruser.enabled1@contoso.com", "Peruser Enabled One", "HR", "Recruiter",
        "+1 425 555 0120", reg=[], per_user="Enabled", expect=[NR, PUE, PNP],
        why="per-user state Enabled, nothing registered")
    add("peruser.enabled2@contoso.com", "Peruser Enabled Two", "Engineering", "Intern", "",
        reg=[], per_user="Enabled", expect=[NR, PUE, MP],
        why="per-user Enabled, nothing registered, no phone")
    add("peruser.enabled.registered@contoso.com", "Peruser Enabled Registered", "HR",
        "HR Manager", "+1 425 555 0121", reg=PUSH, per_user="Enabled", expect=[],
        why="NOT per-user-enabled-unregistered: Enabled but registered")
    add("enforced.nomethod1@contoso.com", "Enforced No Method One", "Finance", "Payroll", "",
        reg=[], per_user="Enforced", expect=[NR, EWM, MP],
        why="per-user Enforced, no method, no authentication phone: locked out at next sign-in")
    add("enforced.nomethod2@contoso.com", "Enforced No Method Two", "Sales", "Sales Associate",
        "+1 425 555 0122", reg=[], per_user="Enforced", expect=[NR, EWM, PNP],
        why="per-user Enforced, no method; a directory mobile is not an authentication phone")
    # --- exclusions ------------------------------------------------------------------------------
    add("exclusion.expired1@contoso.com", "Exclusion Expired One", "IT", "Systems Engineer",
        "+1 425 555 0123", reg=PUSH, expect=[EE],
        why="exclusion expired 2026-09-30: back in scope, otherwise clean")
    add("exclusion.expired2@contoso.com", "Legacy App Service", "IT", "Service Account", "",
        reg=[],
        events=spread("exclusion.expired2", "N", ts("2026-08-01 08:00:00"),
                      ts("2026-11-21 07:00:00"), 12),
        expect=[EE, NR, SK, MP],
        why="exclusion expired 2026-10-15: in scope; never interactive, non-interactive daily")
    add("breakglass1@contoso.com", "Break Glass 1", "IT", "Emergency Access", "", reg=[],
        admin=True, roles="Global Administrator", events=[], expect=[],
        why="excluded (no expiry): out of scope although unregistered admin and never used")
    add("breakglass2@contoso.com", "Break Glass 2", "IT", "Emergency Access", "",
        reg=["fido2SecurityKey"], admin=True, roles="Global Administrator",
        events=[I("2026-09-12 10:00:00")], expect=[], why="excluded (no expiry), FIDO2 key")
    add("svc.scanner@contoso.com", "Scanner Service", "Operations", "Service Account", "",
        reg=None, per_user=None,
        events=spread("svc.scanner", "N", ts("2026-08-01 08:30:00"), ts("2026-11-21 06:00:00"),
                      10),
        expect=[], why="excluded until 2027-06-30 (active exclusion): out of scope")
    # --- admins ----------------------------------------------------------------------------------
    add("admin.noreg1@contoso.com", "Admin No Reg One", "IT", "Exchange Admin", "", reg=[],
        admin=True, roles="Exchange Administrator", expect=[ANR, NR, MP],
        why="admin with nothing registered")
    add("admin.noreg2@contoso.com", "Admin No Reg Two", "IT", "Helpdesk Lead",
        "+1 425 555 0124", reg=["email", "securityQuestion"], admin=True,
        roles="Helpdesk Administrator", expect=[ANR, NR, PNP],
        why="admin with SSPR-only methods (email, security questions): not registered")
    add("admin.authapp1@contoso.com", "Admin Authapp One", "IT", "Security Admin",
        "+1 425 555 0125", reg=PUSH_OTP, admin=True, roles="Security Administrator",
        per_user="Enforced", expect=[ANPR], why="admin with Authenticator push + OTP only")
    add("admin.authapp2@contoso.com", "Admin Authapp Two", "IT", "SharePoint Admin",
        "+1 425 555 0126", reg=["microsoftAuthenticatorPasswordless", "microsoftAuthenticatorPush"],
        admin=True, roles="SharePoint Administrator", expect=[ANPR],
        why="Authenticator passwordless is app-based, not phishing-resistant")
    add("admin.phoneonly@contoso.com", "Admin Phone Only", "IT", "User Admin",
        "+1 425 555 0127", reg=["mobilePhone"], admin=True, roles="User Administrator",
        expect=[ANPR, WMO], why="admin with SMS only")
    add("admin.fido2@contoso.com", "Admin Fido Two", "IT", "Global Admin", "+1 425 555 0128",
        reg=["fido2SecurityKey", "microsoftAuthenticatorPush"], admin=True,
        roles="Global Administrator", per_user="Enforced", expect=[],
        why="NOT admin-not-phishing-resistant: has fido2SecurityKey")
    add("admin.whfb@contoso.com", "Admin Hello", "IT", "Intune Admin", "+1 425 555 0129",
        reg=["windowsHelloForBusiness", "microsoftAuthenticatorPush"], admin=True,
        roles="Intune Administrator", expect=[],
        why="NOT admin-not-phishing-resistant: Windows Hello for Business")
    # --- method strength -------------------------------------------------------------------------
    add("weak.smsonly@contoso.com", "Weak Sms Only", "Sales", "Field Sales", "+1 425 555 0130",
        reg=["mobilePhone"], expect=[WMO, "passkey-not-allowed"],
        why="registered with mobilePhone (SMS/voice) only; excluded from passkeys (Fido2) by the methods policy (group Passkey-Holdouts)")
    add("weak.sms.email@contoso.com", "Weak Sms Email", "Marketing", "Social Media",
        "+44 7400 123402", usage="GB", reg=["mobilePhone", "email"], expect=[WMO],
        events=active("weak.sms.email", "GB"), mfa_email="weak.sms.email@outlook.com",
        why="mobilePhone + email: email is not MFA, so phone-only")
    add("weak.officephone@contoso.com", "Weak Office Phone", "Finance", "Treasury",
        "+49 151 23456702", usage="DE", reg=["officePhone"], expect=[NR, "registered-not-usable"],
        events=active("weak.officephone", "DE"),
        why="office phone (voice) only, which the methods policy does not allow (isOfficePhoneAllowed false): registered but not usable, so not registered")
    add("near.phone.app@contoso.com", "Near Phone App", "Engineering", "Architect",
        "+1 425 555 0131", reg=["mobilePhone", "microsoftAuthenticatorPush"],
        default="mobilePhone", expect=["telephony-in-use"],
        why="NOT weak-methods-only: mobilePhone + Authenticator push; but its default method is SMS "
            "and the methods policy turns system-preferred MFA off for it (group SystemPreferred-Off)")
    add("notreg.emailonly@contoso.com", "Notreg Email Only", "HR", "Payroll Clerk",
        "+1 425 555 0132", reg=["email", "securityQuestion"], expect=[NR, PNP],
        why="SSPR methods only: not registered for MFA")
    add("notreg.taponly@contoso.com", "Notreg Tap Only", "Engineering", "New Hire", "",
        reg=["temporaryAccessPass"], expect=[NR, MP],
        why="temporary access pass only (onboarding, not a standing method)")
    # --- out of scope ----------------------------------------------------------------------------
    add("disabled.noreg@contoso.com", "Disabled No Reg", "Sales", "Former Employee",
        "+1 425 555 0133", reg=[], enabled=False, events=[], expect=[],
        why="accountEnabled False: out of scope, flags nothing (not even dormant)")
    add("disabled.former@contoso.com", "Disabled Former", "Marketing", "Former Employee",
        "+44 7700 900123", usage="GB", reg=PUSH, enabled=False,
        events=[I("2026-08-10 09:12:00"), I("2026-10-02 08:00:00", "Failure", 50057)],
        expect=[], why="disabled (sign-in 50057 'account disabled'); UK drama-range mobile")
    add("partner_fabrikam.com#EXT#@contoso.onmicrosoft.com", "Pat Partner (Fabrikam)", "", "",
        "", reg=[], utype="Guest", per_user=None, home_tenant=FABRIKAM_PARTNER_TENANT,
        home_tenant_name="Fabrikam", events=active("partner_fabrikam", n_int=2, n_non=2),
        expect=[], why="guest, unregistered: out of scope without --include-guests",
        mail="partner@fabrikam.com")
    add("vendor_northwind.com#EXT#@contoso.onmicrosoft.com", "Val Vendor (Northwind)", "", "",
        "+1 425 555 0134", reg=None, utype="Guest", per_user=None, events=[], expect=[],
        why="guest with no registration row: out of scope", mail="vendor@northwind.com")
    # --- quirks in scope -------------------------------------------------------------------------
    add("blank.enabled@contoso.com", "Blank Enabled", "Operations", "Planner",
        "+1 425 555 0135", reg=[], enabled=None, expect=[NR, PNP],
        why="accountEnabled BLANK = treated as enabled (in scope)")
    add("formula.equals@contoso.com", "=1+3 MSOBB", "Finance", "", "", reg=[],
        expect=[NR, MP], why="display name '=1+3 MSOBB' must be neutralised in outputs")
    add("formula.at@contoso.com", "@SUM(A1)", "Marketing", "", "+1 425 555 0136",
        reg=["mobilePhone"], expect=[WMO],
        why="display name '@SUM(A1)' must be neutralised in outputs")
    add("megan.founder_outlook.com#EXT#@contoso.onmicrosoft.com", "Megan Founder", "", "CEO",
        "+1 425 555 0137", reg=PUSH, per_user="Enforced", expect=[],
        why="#EXT# in the UPN but userType Member (tenant creator): in scope, clean")

    # --- clean accounts ----------------------------------------------------------------------
    firsts = ["Adele", "Alex", "Allan", "Ben", "Brian", "Carla", "Chris", "Debra", "Diego",
              "Emily", "Enrico", "Grady", "Henrietta", "Irvin", "Isaiah", "Johanna", "Joni",
              "Lee", "Lidia", "Lynne", "Miriam", "Nestor", "Patti", "Pradeep", "Raul",
              "Sanjay", "Tara", "Uma", "Victor", "Wanda", "Yusuf", "Zoe", "Oliver", "Harriet",
              "Klaus", "Greta", "Jonas", "Amelia"]
    lasts = ["Vance", "Wilber", "Deyoung", "Morgan", "Johnson", "Ruiz", "Green", "Berry",
             "Soto", "Braun", "Rossi", "Archie", "Mitchell", "Bellamy", "Chen", "Lind",
             "Sherman", "Gu", "Holloway", "Robbins", "Graham", "Wilke", "Fernandez", "Gupta",
             "Diaz", "Patel", "Nguyen", "Okafor", "Petrov", "Kowalski", "Hassan", "Clarke",
             "Hughes", "Blake", "Schmidt", "Weber", "Fischer", "Wright"]
    depts = ["Sales", "Finance", "IT", "Engineering", "HR", "Marketing", "Operations"]
    jobs = {"Sales": "Account Executive", "Finance": "Financial Analyst", "IT": "IT Specialist",
            "Engineering": "Software Engineer", "HR": "HR Partner",
            "Marketing": "Marketing Manager", "Operations": "Operations Analyst", "": "Consultant"}
    for i, (f, l) in enumerate(zip(firsts, lasts)):
        upn = "%s.%s@contoso.com" % (f.lower(), l.lower())
        dept = "" if i in (5, 17, 29) else depts[i % len(depts)]
        if i >= 34:
            usage, mobile = "DE", ["+49 151 234567%02d" % (10 + i), "+49 1512 34567%02d"
                                   % (10 + i)][i % 2]
        elif i >= 30:
            usage, mobile = "GB", ["+44 7400 1234%02d" % (10 + i), "+447400 1234%02d"
                                   % (10 + i)][i % 2]
        else:
            n = "%04d" % (100 + i)
            area = "206" if i < 20 else "312"
            forms = ["+1 %s 555 %s" % (area, n), "(%s) 555-%s" % (area, n),
                     "+1 (%s) 555-%s" % (area, n), "+1%s555%s" % (area, n),
                     "%s-555-%s" % (area, n)]
            mobile = forms[i % len(forms)]
            usage = "US"
            if i in (7, 23):  # two accounts without usageLocation, international numbers
                usage, mobile = "", "+1 %s 555 %s" % (area, n)
        reg = PUSH_OTP if i % 3 else PUSH
        if i % 7 == 4:
            reg = reg + ["email"]
        per_user = "Enforced" if i % 3 == 0 else "Disabled"
        if i in (11, 22, 33):
            per_user = None  # not in the per-user report ("most, not all")
        evs = active(upn, usage or "US")
        if i % 5 == 1:  # a KMSI interrupt just before the last interactive success
            last = max(e.when for e in evs if e.kind == "I")
            evs.append(Ev("I", last - timedelta(seconds=25), "Interrupted", 50140))
        if i % 6 == 2:  # mistyped password once, then fine
            last = max(e.when for e in evs if e.kind == "I")
            evs.append(Ev("I", last - timedelta(minutes=3), "Failure", 50126))
        if i % 8 in (3, 6):  # MFA required interrupt (50074 / 50076) then success
            last = max(e.when for e in evs if e.kind == "I")
            evs.append(Ev("I", last - timedelta(seconds=40), "Interrupted",
                          50074 if i % 8 == 3 else 50076))
        if i == 0:  # pins the log window: first row 2026-08-01, newest row = as-of exactly
            evs = [e for e in evs if e.kind == "I"] + spread(upn, "N", ts("2026-08-01 06:14:09"),
                                                               AS_OF - timedelta(hours=3), 7)
            evs.append(N("2026-08-01 06:14:09"))
            evs.append(Ev("I", AS_OF))
        add(upn, "%s %s" % (f, l), dept, jobs[dept], mobile, usage=usage, reg=reg,
            per_user=per_user, events=evs, expect=[], synced=(i % 4 == 0),
            why="clean: Authenticator registered, valid mobile, signed in this week")
    return A


CONTOSO_EXCLUSIONS = [
    ("breakglass1@contoso.com", "Break-glass emergency access account", ""),
    ("breakglass2@contoso.com", "Break-glass emergency access account (FIDO2)", ""),
    ("svc.scanner@contoso.com", "Scan-to-email service account, exemption CHG0041877",
     "2027-06-30"),
    ("exclusion.expired1@contoso.com", "Temporary exemption while replacing lost phone",
     "2026-09-30"),
    ("exclusion.expired2@contoso.com", "Legacy app service account, migration pending",
     "2026-10-15"),
    ("old.contractor@contoso.com", "Contractor account (left in 2025)", ""),
]

GHOST = dict(upn="ghost.user@contoso.com", id=guid("contoso-user", "ghost.user@contoso.com"),
             display="Ghost User", usage="US", reg=PUSH, utype="Member",
             events=[I("2026-11-19 10:00:00"), N("2026-11-20 11:00:00"),
                     N("2026-10-03 09:00:00")])
SYNC = dict(upn="Sync_DC01_4f2a9c1b7e3d@contoso.onmicrosoft.com",
            id=guid("contoso-user", "sync_dc01"),
            display="On-Premises Directory Synchronization Service Account", usage="US",
            reg=None, utype="Member", managed=False, events=[N("2026-11-21 09:00:00")])


def contoso_created(a):
    r = rng("created", a["upn"])
    base = datetime(2019, 1, 1) + timedelta(seconds=r.randrange(int(
        (datetime(2026, 7, 1) - datetime(2019, 1, 1)).total_seconds())))
    return base


USERS_1A = ["userPrincipalName", "displayName", "surname", "mail", "givenName", "id", "userType",
            "jobTitle", "department", "accountEnabled", "usageLocation", "streetAddress", "state",
            "country", "officeLocation", "city", "postalCode", "telephoneNumber", "mobilePhone",
            "alternateEmailAddress", "ageGroup", "consentProvidedForMinor",
            "legalAgeGroupClassification", "companyName", "creationType", "directorySynced",
            "invitationState", "identityIssuer", "createdDateTime"]
assert len(USERS_1A) == 29

ADDRESS = {
    "US": ("1 Contoso Way", "WA", "United States", "Redmond HQ", "Redmond", "98052"),
    "GB": ("10 Contoso Square", "", "United Kingdom", "London", "London", "EC1A 1BB"),
    "DE": ("Contosostrasse 5", "Bayern", "Germany", "Munich", "Munich", "80331"),
    "": ("", "", "", "", "", ""),
}

REG_3B = ["id", "userPrincipalName", "userDisplayName", "userType", "isAdmin", "isMfaCapable",
          "isPasswordlessCapable", "isSsprRegistered", "isSsprCapable", "defaultMfaMethod",
          "methodsRegistered", "lastUpdatedDateTime"]

PER_USER_O365 = ["DisplayName", "UserPrincipalName", "MFAStatus", "ActivationStatus",
                 "DefaultMFAMethod", "AllMFAMethods", "MFAPhone", "MFAEmail", "LicenseStatus",
                 "IsAdmin", "AdminRoles", "SignInStatus"]


def tf(b):
    return "True" if b else "False"


def reg_3b_row(a, member_word="member"):
    m = a["reg"]
    registered = is_registered(m)
    sspr = any(x in SSPR_METHODS for x in m)
    guest = a.get("utype") == "Guest"
    return [a["id"], a["upn"], a["display"], "guest" if guest else member_word,
            tf(a.get("admin", False)), tf(registered), tf(any(x in PASSWORDLESS for x in m)),
            tf(sspr), tf(sspr and not guest), a.get("default") or default_method(m),
            json.dumps(m, separators=(",", ":")),
            iso7(reg_updated(a), a["upn"])]


def reg_updated(a):
    r = rng("regupd", a["upn"])
    return datetime(2026, 8, 1) + timedelta(seconds=r.randrange(int(
        (AS_OF - timedelta(days=1) - datetime(2026, 8, 1)).total_seconds())))


def write_contoso():
    out = FIX / "contoso"
    accounts = contoso_accounts()
    by_name = sorted(accounts, key=lambda a: (a["display"].lower(), a["upn"]))

    # users (1a, 29 columns, BOM + CRLF)
    rows = []
    for i, a in enumerate(by_name):
        guest = a["utype"] == "Guest"
        addr = ADDRESS[a["usage"]] if not guest else ADDRESS[""]
        r = rng("office", a["upn"])
        office_phone = "" if guest or r.random() < 0.6 else "+1 425 555 %04d" % (3000 + i)
        rows.append([
            a["upn"], a["display"], a["surname"], a.get("mail", a["upn"]), a["given"], a["id"],
            a["utype"], a["job"], a["dept"],
            "" if a["enabled"] is None else tf(a["enabled"]), a["usage"], addr[0], addr[1],
            addr[2], addr[3], addr[4], addr[5], office_phone, a["mobile"], "", "", "", "",
            "" if guest else "Contoso Ltd", "Invitation" if guest else "",
            "True" if a["synced"] else "", "Accepted" if guest else "",
            "ExternalAzureAD" if guest else "contoso.onmicrosoft.com",
            us_locale(contoso_created(a)),
        ])
    write_csv(out / "exportUsers_2026-11-21.csv", USERS_1A, rows, bom=True)

    # registration (3b without isMfaRegistered), with an orphan row
    reg_rows = [reg_3b_row(a) for a in by_name if a["reg"] is not None]
    reg_rows.append(reg_3b_row(GHOST))
    reg_rows.sort(key=lambda r: (r[2].lower(), r[1]))
    write_csv(out / "exportUserRegistrationDetails_2026-11-21.csv", REG_3B, reg_rows, bom=True)

    # sign-ins
    recs = signin_records(accounts + [GHOST, SYNC], CONTOSO_TENANT, "Contoso")
    assert max(r["when"] for r in recs) == AS_OF
    assert min(r["when"] for r in recs) == ts("2026-08-01 06:14:09")
    for kind, name in (("I", "InteractiveSignIns"), ("N", "NonInteractiveSignIns")):
        write_csv(out / ("%s_2026-08-01_2026-11-21.csv" % name), SIGNIN_HEADER,
                  [signin_csv_row(r) for r in recs if r["kind"] == kind], quote_all=True)

    # per-user MFA (o365reports, enabled users shape)
    pu_rows = []
    for a in by_name:
        if a["per_user"] is None:
            continue
        legacy = legacy_methods(a["reg"] or [])
        norm = e164(a["mobile"], a["usage"])
        has_phone = bool(PHONE_METHODS & set(a["reg"] or []))
        if legacy:
            activation, methods, default = "Yes", ",".join(legacy), legacy_default(legacy)
            phone = norm if (has_phone and norm) else "-"
            email = a["mfa_email"]
        else:
            activation, methods, default, phone, email = "No", "-", "-", "-", "-"
        pu_rows.append([a["display"], a["upn"], a["per_user"], activation, default, methods,
                        phone, email, a["license"], tf(a["admin"]),
                        a["roles"] if a["admin"] else "-",
                        "Denied" if a["enabled"] is False else "Allowed"])
    write_csv(out / "MFA_Status_Report_Nov-21-2026.csv", PER_USER_O365, pu_rows, quote_all=True)

    # exclusions (hand-written file: plain, LF)
    write_csv(out / "mfa-exclusions.csv", ["userPrincipalName", "reason", "expires"],
              CONTOSO_EXCLUSIONS, newline="\n")
    return accounts


# --------------------------------------------------------------------------------------------
# Reference evaluation of the contoso tenant (consistency check of the fixture data)
# --------------------------------------------------------------------------------------------


def evaluate(accounts, exclusions, per_user_given=True):
    excl = {u.lower(): exp for u, _, exp in exclusions}
    found = {}
    in_scope = {}
    for a in accounts:
        upn = a["upn"].lower()
        codes = set()
        expired = False
        excluded = False
        if upn in excl:
            exp = excl[upn]
            if exp and datetime.strptime(exp, "%Y-%m-%d") < AS_OF:
                expired = True
            else:
                excluded = True
        scope = a["enabled"] is not False and a["utype"] != "Guest" and not excluded
        in_scope[upn] = scope
        if not scope:
            found[upn] = codes
            continue
        if expired:
            codes.add(EE)
        reg = a["reg"]
        known = reg is not None
        registered = known and is_registered(reg)
        auth_phone = known and bool(PHONE_METHODS & set(reg))
        if known and not registered:
            codes.add(NR)
        if not known:
            codes.add(RU)
        if a["admin"] and known and not registered:
            codes.add(ANR)
        if a["admin"] and registered and not (PHISHING_RESISTANT & set(reg)):
            codes.add(ANPR)
        if registered and all(m in PHONE_METHODS or m in NOT_MFA for m in reg):
            codes.add(WMO)
        evs = a["events"]
        last_ci = max((e.when for e in evs if e.counted_interactive), default=None)
        last_n = max((e.when for e in evs if e.kind == "N"), default=None)
        last_any = max((e.when for e in evs), default=None)
        if known and not registered:
            if (last_ci is None or last_ci < AS_OF - STALE_AFTER) and last_n is not None and \
                    last_n >= AS_OF - ACTIVE_WITHIN:
                codes.add(SK)
            if any(e.code in (50072, 50079) for e in evs):
                codes.add(RS)
        if last_any is None or last_any < AS_OF - DORMANT_AFTER:
            codes.add(D)
        norm = e164(a["mobile"], a["usage"])
        if a["mobile"].strip() and norm is None:
            codes.add(IP)
        if not registered and not auth_phone:
            codes.add(PNP if norm else MP)
        if per_user_given and a["per_user"] == "Enabled" and known and not registered:
            codes.add(PUE)
        if per_user_given and a["per_user"] == "Enforced" and known and not registered and \
                not auth_phone:
            codes.add(EWM)
        found[upn] = codes
    phones = {}
    for a in accounts:
        n = e164(a["mobile"], a["usage"])
        if n and in_scope[a["upn"].lower()]:
            phones.setdefault(n, []).append(a["upn"].lower())
    for n, upns in phones.items():
        if len(upns) > 1:
            for u in upns:
                found[u].add(SP)
    return found


def check_contoso(accounts):
    found = evaluate(accounts, CONTOSO_EXCLUSIONS)
    bad = []
    for a in accounts:
        got = found[a["upn"].lower()]
        if got != a["expect"]:
            bad.append("%s: expected %s, reference gives %s" % (
                a["upn"], sorted(a["expect"]), sorted(got)))
    counts = {c: sum(1 for a in accounts if c in a["expect"]) for c in CODES}
    for c, n in counts.items():
        if n < 2:
            bad.append("code %s is triggered by only %d account(s)" % (c, n))
    if bad:
        sys.exit("fixture self-check failed:\n  " + "\n  ".join(bad))
    return counts


# --------------------------------------------------------------------------------------------
# Fabrikam: one 6-account tenant in every other format
# --------------------------------------------------------------------------------------------


def fabrikam_accounts():
    def u(name, display, given, surname, dept, job, mobile, usage, reg, admin, enabled,
          per_user, events, created, synced=False, office="", license_=(
              "Microsoft 365 E3",)):
        upn = "%s@fabrikam.com" % name
        return dict(upn=upn, id=guid("fabrikam-user", upn), display=display, given=given,
                    surname=surname, dept=dept, job=job, mobile=mobile, usage=usage, reg=reg,
                    admin=admin, enabled=enabled, per_user=per_user, events=events,
                    created=created, synced=synced, office=office, licenses=list(license_),
                    utype="Member", managed=name in ("alice", "carol", "dave"))

    return [
        u("alice", "Alice Anders", "Alice", "Anders", "Sales", "Sales Manager",
          "+1 425 555 0100", "US", PUSH_OTP, False, True, "Enforced",
          [N("2026-11-01 07:03:11"), I("2026-11-03 08:10:00"), N("2026-11-07 12:00:00"),
           I("2026-11-12 08:05:30"), N("2026-11-15 18:22:00"), N("2026-11-21 08:10:00"),
           I("2026-11-21 09:30:00")],
          datetime(2021, 8, 19, 13, 25, 31), office="+1 425 555 0190",
          license_=("Microsoft 365 E3", "Microsoft Teams Essentials")),
        u("bob", "Bob Baker", "Bob", "Baker", "Operations", "Dispatcher", "", "US", [],
          False, True, "Enabled",
          [I("2026-11-02 08:15:00"), N("2026-11-05 09:00:00"), N("2026-11-12 10:30:00"),
           I("2026-11-18 07:50:12", "Failure", 50126), N("2026-11-20 17:45:00")],
          datetime(2023, 3, 4, 10, 0, 0)),
        u("carol", "Carol Chen", "Carol", "Chen", "IT", "IT Manager", "+44 7400 123460", "GB",
          PUSH, True, True, "Enforced",
          [I("2026-11-04 09:00:00"), N("2026-11-10 11:11:11"),
           I("2026-11-19 08:44:00", "Interrupted", 50074), I("2026-11-19 08:44:30"),
           N("2026-11-20 15:00:00")],
          datetime(2020, 5, 23, 19, 59, 0), synced=True,
          license_=("Microsoft 365 E5",)),
        u("dave", "Dave Dubois", "Dave", "Dubois", "Finance", "Accountant", "(425) 555-0143",
          "US", PUSH, False, True, "Disabled",
          [I("2026-11-06 10:00:00"), N("2026-11-13 09:09:09"), I("2026-11-20 09:15:00"),
           N("2026-11-21 07:45:00")],
          datetime(2022, 3, 18, 19, 49, 35), office="+1 425 555 0193"),
        u("erin", "Erin Evans", "Erin", "Evans", "HR", "Former HR Partner", "+49 151 23456710",
          "DE", PUSH, False, False, "Disabled",
          [I("2026-11-03 07:30:00", "Failure", 50057)],
          datetime(2019, 11, 1, 8, 0, 0), license_=()),
        u("frank", "José Müller", "José", "Müller", "Engineering", "Engineer – Platform",
          "+1 425 555 0145", "US", ["mobilePhone"], False, True, "Disabled",
          [I("2026-11-09 13:00:00"), N("2026-11-14 16:40:00"), I("2026-11-18 08:00:00"),
           N("2026-11-21 06:00:00")],
          datetime(2024, 10, 13, 21, 5, 12)),
    ]


FAB_TENANT = guid("tenant", "fabrikam")
FAB_EXPECT = {
    "alice@fabrikam.com": ([], "clean; in xlsx/ her mobile is the NUMBER cell 14255550100"),
    "bob@fabrikam.com": ([NR, SK, MP],
                         "unregistered, last counted interactive 2026-11-02 (19 d; the 11-18 "
                         "attempt failed), non-interactive yesterday, no phone; per-user Enabled"
                         " where a per-user file is given (+per-user-enabled-unregistered)"),
    "carol@fabrikam.com": ([ANPR], "admin with Authenticator push only"),
    "dave@fabrikam.com": ([], "clean; national mobile '(425) 555-0143' with usageLocation US"),
    "erin@fabrikam.com": ([], "disabled (Block credential True): out of scope"),
    "frank@fabrikam.com": ([WMO], "mobilePhone only; display name 'José Müller' (non-ASCII)"),
}
USERS_GRID = ["id", "displayName", "userPrincipalName", "department", "jobTitle", "userType",
              "accountEnabled", "mobilePhone", "usageLocation"]


def grid_row(a):
    return [a["id"], a["display"], a["upn"], a["dept"], a["job"], a["utype"], tf(a["enabled"]),
            a["mobile"], a["usage"]]


def write_formats():
    base = FIX / "formats"
    accts = fabrikam_accounts()
    recs = signin_records(accts, FAB_TENANT, "Fabrikam")
    assert max(r["when"] for r in recs) == AS_OF
    reg_rows = [reg_3b_row(a) for a in accts]
    si = {k: [r for r in recs if r["kind"] == k] for k in "IN"}
    si_name = {"I": "InteractiveSignIns_2026-11-01_2026-11-21",
               "N": "NonInteractiveSignIns_2026-11-01_2026-11-21"}

    # entra-csv
    d = base / "entra-csv"
    write_csv(d / "exportUsers_2026-11-21.csv", USERS_GRID, [grid_row(a) for a in accts],
              bom=True)
    write_csv(d / "exportUserRegistrationDetails_2026-11-21.csv", REG_3B, reg_rows, bom=True)
    for k in "IN":
        write_csv(d / (si_name[k] + ".csv"), SIGNIN_HEADER,
                  [signin_csv_row(r) for r in si[k]], quote_all=True)

    # xlsx
    d = base / "xlsx"

    def sheet(path, header, rows, title, date_cols=(), number_fmt=None):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = title[:31]
        ws.append(header)
        for r in rows:
            ws.append([excel_value(v) for v in r])
        for row in ws.iter_rows(min_row=2):
            for c in row:
                if isinstance(c.value, datetime):
                    c.number_format = "yyyy-mm-dd hh:mm:ss"
                elif isinstance(c.value, int) and not isinstance(c.value, bool) and number_fmt:
                    c.number_format = number_fmt
        save_xlsx(wb, path)

    xrows = []
    for a in accts:
        row = grid_row(a)
        if a["upn"].startswith("alice@"):
            row[7] = 14255550100  # Excel turned "+1 425 555 0100" into a number
        xrows.append(row)
    sheet(d / "exportUsers_2026-11-21.xlsx", USERS_GRID, xrows, "exportUsers_2026-11-21",
          number_fmt="0")
    sheet(d / "exportUserRegistrationDetails_2026-11-21.xlsx", REG_3B, reg_rows,
          "exportUserRegistrationDetails_2")
    for k in "IN":
        rows = [signin_csv_row(r, date_value=r["when"]) for r in si[k]]
        sheet(d / (si_name[k] + ".xlsx"), SIGNIN_HEADER, rows, si_name[k])

    # graph-json
    d = base / "graph-json"
    select = ("id,userPrincipalName,displayName,userType,accountEnabled,department,mobilePhone,"
              "businessPhones,onPremisesSyncEnabled,createdDateTime,usageLocation,signInActivity")
    users = [graph_user(a, recs) for a in accts]
    ctx = "https://graph.microsoft.com/v1.0/$metadata#users(%s)" % select
    write_json(d / "users-page1.json", {
        "@odata.context": ctx,
        "@odata.nextLink": "https://graph.microsoft.com/v1.0/users?$select=%s&$top=3"
                           "&$skiptoken=RFNwdAIAAQAAACpVc2VyXzQ0YjFmNmQ3LTQ0ZDYtNGJiYi1hM2Y4" % select,
        "value": users[:3]})
    write_json(d / "users-page2.json", {"@odata.context": ctx, "value": users[3:]})
    write_json(d / "userRegistrationDetails.json", {
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#reports/"
                          "authenticationMethods/userRegistrationDetails",
        "value": [graph_reg(a) for a in accts]})
    write_json(d / "signIns.json", [graph_signin(r) for r in recs])

    # m365-old / m365-new
    for variant in ("old", "new"):
        d = base / ("m365-" + variant)
        header = M365_OLD if variant == "old" else M365_NEW
        rows = [[m365_value(a, h) for h in header] for a in accts]
        write_csv(d / "users_2026-11-21.csv", header, rows, bom=True)
        write_csv(d / "exportUserRegistrationDetails_2026-11-21.csv", REG_3B, reg_rows, bom=True)

    # quirks
    d = base / "quirks"
    write_csv(d / "semicolon-bom.csv", USERS_GRID, [grid_row(a) for a in accts], delimiter=";",
              bom=True)
    write_csv(d / "utf16le.csv", USERS_GRID, [grid_row(a) for a in accts], delimiter="\t",
              bom=True, encoding="utf-16-le")
    ps_header = ["Id", "DisplayName", "UserPrincipalName", "UserType", "AccountEnabled",
                 "Department", "JobTitle", "MobilePhone", "UsageLocation"]
    write_csv(d / "windows1252.csv", ps_header,
              [[a["id"], a["display"], a["upn"], a["utype"], tf(a["enabled"]), a["dept"],
                a["job"], a["mobile"], a["usage"]] for a in accts], quote_all=True,
              encoding="cp1252",
              preamble="#TYPE Selected.Microsoft.Graph.PowerShell.Models.MicrosoftGraphUser\r\n")
    date_header = ["id", "displayName", "userPrincipalName", "userType", "accountEnabled",
                   "mobilePhone", "usageLocation", "createdDateTime"]
    write_csv(d / "dmy-dates.csv", date_header,
              [[a["id"], a["display"], a["upn"], a["utype"], tf(a["enabled"]), a["mobile"],
                a["usage"], a["created"].strftime("%d/%m/%Y %H:%M")] for a in accts])
    ambiguous = [datetime(2021, 3, 4, 10, 0), datetime(2022, 5, 6, 9, 30),
                 datetime(2020, 1, 2, 14, 15), datetime(2023, 11, 10, 8, 5),
                 datetime(2019, 7, 8, 16, 45), datetime(2024, 12, 3, 11, 20)]
    write_csv(d / "ambiguous-dates.csv", date_header,
              [[a["id"], a["display"], a["upn"], a["utype"], tf(a["enabled"]), a["mobile"],
                a["usage"], "%d/%d/%d %d:%02d" % (dt.month, dt.day, dt.year, dt.hour,
                                                   dt.minute)]
               for a, dt in zip(accts, ambiguous)])
    zname = {"I": "InteractiveSignIns_2026-11-01_2026-11-21.csv",
             "N": "NonInteractiveSignIns_2026-11-01_2026-11-21.csv"}
    zentries = [(zname[k], csv_text(SIGNIN_HEADER, [signin_csv_row(r) for r in si[k]],
                                     quote_all=True).encode("utf-8")) for k in "IN"]
    auth_rows = []
    for r in si["I"]:
        for step in auth_steps(r):
            auth_rows.append([r["request_id"], step["authenticationMethod"],
                              step["authenticationMethodDetail"], tf(step["succeeded"]).lower(),
                              step["authenticationStepResultDetail"],
                              step["authenticationStepRequirement"]])
    zentries.append(("InteractiveSignIns_AuthDetails_2026-11-01_2026-11-21.csv", csv_text(
        ["Request ID", "Authentication method", "Authentication method detail", "Succeeded",
         "Result detail", "Requirement"], auth_rows, quote_all=True).encode("utf-8")))
    write_bytes(d / "signins.zip", deterministic_zip(zentries))
    write_csv(d / "signins-unnamed.csv", SIGNIN_HEADER, [signin_csv_row(r) for r in si["I"]],
              quote_all=True)
    write_csv(d / "per-user-graph.csv", PER_USER_GRAPH, [per_user_graph_row(a) for a in accts],
              quote_all=True)
    write_csv(d / "o365-disabled-users.csv",
              ["DisplayName", "UserPrincipalName", "Department", "MFAStatus", "LicenseStatus",
               "IsAdmin", "AdminRoles", "SignInStatus"],
              [[a["display"], a["upn"], a["dept"] or "-", "Disabled",
                "Licensed" if a["licenses"] else "Unlicensed", tf(a["admin"]),
                "Global Administrator" if a["admin"] else "-",
                "Allowed" if a["enabled"] else "Denied"]
               for a in accts if a["per_user"] == "Disabled"], quote_all=True)
    write_json(d / "credential-details.json", {
        "@odata.context": "https://graph.microsoft.com/beta/$metadata#reports/"
                          "credentialUserRegistrationDetails",
        "value": [credential_detail(a) for a in accts]})

    # malformed
    d = base / "malformed"
    mh = USERS_GRID + ["createdDateTime"]
    mrows = []
    for a in accts:
        row = grid_row(a) + [us_locale(a["created"])]
        if a["upn"].startswith("bob@"):
            row[6] = "Maybe"
        if a["upn"].startswith("carol@"):
            row[9] = "not a date"
        if a["upn"].startswith("erin@"):
            row[2] = "  erin@fabrikam.com  "
        mrows.append(row)
        if a["upn"].startswith("dave@"):
            dup = list(row)
            dup[2] = "DAVE@Fabrikam.com"
            dup[4] = "Senior Accountant"
            mrows.append(dup)
    mrows.append([guid("fabrikam-user", "no-upn"), "No UPN Row", "", "Sales", "Temp", "Member",
                  "True", "", "US", us_locale(datetime(2025, 2, 3, 8, 0, 0))])
    write_csv(d / "bad-values-users.csv", mh, mrows, bom=True)
    write_csv(d / "no-upn.csv", ["displayName", "department", "mobilePhone"],
              [[a["display"], a["dept"], a["mobile"]] for a in accts])
    brows = []
    for a, bad in zip(accts, [None, "System.Object[]", "[unclosed",
                              "mobilePhone;softwareOneTimePasscode", None, None]):
        row = reg_3b_row(a)
        if bad is not None:
            row[10] = bad
        brows.append(row)
    write_csv(d / "bad-methods-registration.csv", REG_3B, brows, bom=True)
    return accts


def excel_value(v):
    """What Excel makes of a CSV cell on open + save: booleans and short integers become typed
    cells; everything else (GUIDs, phone text, ISO strings with Z) stays text."""
    if v == "":
        return None  # Excel writes no cell at all for an empty field
    if v in ("True", "False"):
        return v == "True"
    if isinstance(v, str) and re.fullmatch(r"\d{1,9}", v):
        return int(v)
    return v


def graph_user(a, recs):
    mine = [r for r in recs if r["upn"] == a["upn"]]
    inter = [r for r in mine if r["kind"] == "I"]
    non = [r for r in mine if r["kind"] == "N"]
    ok = [r for r in mine if r["status"] == "Success"]

    def last(lst):
        return max(lst, key=lambda r: r["when"]) if lst else None

    li, ln, ls = last(inter), last(non), last(ok)
    return {
        "id": a["id"], "userPrincipalName": a["upn"], "displayName": a["display"],
        "userType": a["utype"], "accountEnabled": a["enabled"], "department": a["dept"],
        "mobilePhone": a["mobile"] or None,
        "businessPhones": [a["office"]] if a["office"] else [],
        "onPremisesSyncEnabled": True if a["synced"] else None,
        "createdDateTime": iso(a["created"]), "usageLocation": a["usage"],
        "signInActivity": {
            "lastSignInDateTime": iso(li["when"]) if li else None,
            "lastSignInRequestId": li["request_id"] if li else None,
            "lastNonInteractiveSignInDateTime": iso(ln["when"]) if ln else None,
            "lastNonInteractiveSignInRequestId": ln["request_id"] if ln else None,
            "lastSuccessfulSignInDateTime": iso(ls["when"]) if ls else None,
            "lastSuccessfulSignInRequestId": ls["request_id"] if ls else None,
        },
    }


def graph_reg(a):
    m = a["reg"]
    reg = is_registered(m)
    return {
        "id": a["id"], "userPrincipalName": a["upn"], "userDisplayName": a["display"],
        "userType": "member", "isAdmin": a["admin"], "isMfaRegistered": reg,
        "isMfaCapable": reg, "isPasswordlessCapable": any(x in PASSWORDLESS for x in m),
        "isSsprRegistered": any(x in SSPR_METHODS for x in m), "isSsprEnabled": True,
        "isSsprCapable": any(x in SSPR_METHODS for x in m),
        "isSystemPreferredAuthenticationMethodEnabled": True, "methodsRegistered": m,
        "systemPreferredAuthenticationMethods": (["push"] if "microsoftAuthenticatorPush" in m
                                                 else ["sms"] if "mobilePhone" in m else []),
        "userPreferredMethodForSecondaryAuthentication": (
            "push" if "microsoftAuthenticatorPush" in m else "sms" if "mobilePhone" in m
            else "none"),
        "lastUpdatedDateTime": iso7(reg_updated(a), a["upn"]),
    }


def auth_steps(r):
    t = iso(r["when"])
    steps = []
    pw_ok = not (r["code"] in (50126, 50057))
    steps.append({"authenticationStepDateTime": t, "authenticationMethod": "Password",
                  "authenticationMethodDetail": "Password in the cloud", "succeeded": pw_ok,
                  "authenticationStepResultDetail": "Correct password" if pw_ok else
                  "Invalid username or password or Invalid on-premise username or password.",
                  "authenticationStepRequirement": "Primary authentication"})
    if r["mfa_method"]:
        steps.append({"authenticationStepDateTime": t, "authenticationMethod": r["mfa_method"],
                      "authenticationMethodDetail": r["mfa_detail"], "succeeded": True,
                      "authenticationStepResultDetail": r["mfa_result"],
                      "authenticationStepRequirement": "Secondary authentication"})
    return steps


def graph_signin(r):
    city, state, country = [x.strip() for x in r["location"].split(",")]
    ok = r["status"] == "Success"
    return {
        "id": r["request_id"], "createdDateTime": iso(r["when"]),
        "userDisplayName": r["display"], "userPrincipalName": r["upn"], "userId": r["user_id"],
        "userType": r["user_type"].lower(), "appDisplayName": r["app"], "appId": r["app_id"],
        "resourceDisplayName": r["resource"], "resourceId": r["resource_id"],
        "ipAddress": r["ip"], "clientAppUsed": r["client_app"],
        "correlationId": r["correlation_id"], "isInteractive": r["kind"] == "I",
        "signInEventTypes": ["interactiveUser" if r["kind"] == "I" else "nonInteractiveUser"],
        "status": {"errorCode": r["code"],
                   "failureReason": "Other." if ok else FAILURE_REASON.get(r["code"], ""),
                   "additionalDetails": None if ok else
                   "The user must complete the sign-in prompt." if r["status"] == "Interrupted"
                   else None},
        "conditionalAccessStatus": {"Success": "success", "Not Applied": "notApplied"}[r["ca"]],
        "authenticationRequirement": ("multiFactorAuthentication"
                                      if r["requirement"].startswith("Multi")
                                      else "singleFactorAuthentication"),
        "mfaDetail": ({"authMethod": r["mfa_method"], "authDetail": r["mfa_detail"] or None}
                      if r["mfa_method"] else None),
        "appliedConditionalAccessPolicies": ([{
            "id": guid("ca", "require-mfa"), "displayName": "Require MFA for all users",
            "enforcedGrantControls": ["Mfa"], "enforcedSessionControls": [],
            "result": "success"}] if r["ca"] == "Success" else []),
        "authenticationDetails": auth_steps(r) if r["kind"] == "I" else [],
        "deviceDetail": {"deviceId": r["device_id"], "displayName": "", "operatingSystem":
                         r["os"], "browser": r["browser"], "isCompliant": r["compliant"] ==
                         "True", "isManaged": r["managed"] == "True",
                         "trustType": "Azure AD joined" if r["join"] else ""},
        "location": {"city": city, "state": state, "countryOrRegion": country},
    }


M365_OLD = ["Block credential", "City", "Country/Region", "Department", "DirSyncEnabled",
            "Display name", "Fax", "First name", "Last dirsync time", "Last name",
            "Last password change time stamp", "License assignment details", "Licenses",
            "Mobile Phone", "Oath token meta data", "Object Id", "Office",
            "Password never expires", "Phone number", "Postal code", "Preferred data location",
            "Preferred language", "Proxy addresses", "Release track", "Soft deletion time stamp",
            "State", "Street address", "Strong password required", "Title", "Usage location",
            "User principal name", "When created"]
M365_NEW = ["Display name", "DirSyncEnabled", "User principal name", "Object Id", "First name",
            "Last name", "When created", "Soft deletion time stamp", "Title", "Department",
            "Preferred data location", "City", "CountryOrRegion", "Office", "StateOrProvince",
            "Usage location", "Last dirsync time", "Block credential", "Licenses",
            "Password never expires", "Last password change time stamp", "Mobile Phone",
            "Phone number", "Postal code", "Preferred language", "Street address", "Fax",
            "Proxy addresses"]
FAB_ADDR = {"US": ("Redmond", "United States", "WA", "1 Fabrikam Way", "98052", "en-US"),
            "GB": ("London", "United Kingdom", "", "20 Fabrikam Lane", "SW1A 1AA", "en-GB"),
            "DE": ("Munich", "Germany", "Bayern", "Fabrikamweg 7", "80331", "de-DE")}


def m365_value(a, h):
    city, country, state, street, postal, lang = FAB_ADDR[a["usage"]]
    local = a["upn"].split("@")[0]
    pw = a["created"] + timedelta(days=200)
    return {
        "Block credential": tf(not a["enabled"]), "City": city, "Country/Region": country,
        "CountryOrRegion": country, "Department": a["dept"],
        "DirSyncEnabled": "True" if a["synced"] else "", "Display name": a["display"],
        "Fax": "", "First name": a["given"],
        "Last dirsync time": m365_date(datetime(2026, 11, 21, 9, 12, 4)) if a["synced"] else "",
        "Last name": a["surname"], "Last password change time stamp": m365_date(pw),
        "License assignment details": "", "Licenses": "+".join(a["licenses"]) or "Unlicensed",
        "Mobile Phone": a["mobile"], "Oath token meta data": "", "Object Id": a["id"],
        "Office": city, "Password never expires": "False", "Phone number": a["office"],
        "Postal code": postal, "Preferred data location": "", "Preferred language": lang,
        "Proxy addresses": "SMTP:%s+smtp:%s@fabrikam.onmicrosoft.com" % (a["upn"], local),
        "Release track": "", "Soft deletion time stamp": "", "State": state,
        "StateOrProvince": state, "Street address": street, "Strong password required": "True",
        "Title": a["job"], "Usage location": a["usage"], "User principal name": a["upn"],
        "When created": m365_date(a["created"]),
    }[h]


PER_USER_GRAPH = ["Name", "UPN", "Per-user MFA Status", "Department", "License Status",
                  "SignIn Status", "Registered Authentication Methods", "MFA Phone",
                  "Microsoft Authenticator Configured Device", "Is 3rd-Party Authenticator Used",
                  "Additional Details"]


def per_user_graph_row(a):
    m = a["reg"]
    methods = ["PasswordAuthentication"]
    details = []
    device = "-"
    phone = "-"
    third = "False"
    if "microsoftAuthenticatorPush" in m:
        methods.append("AuthenticatorApp")
        device = "iPhone 15" if a["usage"] != "DE" else "Pixel 8"
        details.append("AuthenticatorApp : %s" % device)
    if "mobilePhone" in m:
        methods.append("PhoneAuthentication")
        phone = e164(a["mobile"], a["usage"])
        details.append("PhoneAuthentication : mobile %s" % phone)
    if "softwareOneTimePasscode" in m:
        methods.append("SoftwareOath")
        third = "True"
    return [a["display"], a["upn"], a["per_user"].lower(), a["dept"],
            "Licensed" if a["licenses"] else "Unlicensed",
            "Allowed" if a["enabled"] else "Blocked", ",".join(sorted(set(methods))), phone,
            device, third, ", ".join(details)]


def credential_detail(a):
    m = a["reg"]
    auth = []
    if "email" in m:
        auth.append("email")
    if "mobilePhone" in m:
        auth.append("mobilePhone")
    if "microsoftAuthenticatorPush" in m:
        auth.append("appNotification")
    if "microsoftAuthenticatorPush" in m or "softwareOneTimePasscode" in m:
        auth.append("appCode")
    return {"id": a["id"], "userPrincipalName": a["upn"], "userDisplayName": a["display"],
            "authMethods": auth, "isRegistered": bool(auth), "isEnabled": True,
            "isCapable": bool(auth) and a["enabled"], "isMfaRegistered": is_registered(m)}


# --------------------------------------------------------------------------------------------
# README
# --------------------------------------------------------------------------------------------


def readme(accounts, counts, fab):
    L = []
    w = L.append
    w("# Fixtures")
    w("")
    w("Sample tenants in real export formats (described in `docs/inputs.md`). **Generated** by")
    w("`python3 scripts/make_fixtures.py` (Python 3, stdlib + `openpyxl`); the output is")
    w("deterministic (byte-identical on every run) and committed. CI never regenerates it. Edit")
    w("the script, not the files. Folders hold data files only, because the tool reads every")
    w("file in a folder; this README lives outside them.")
    w("")
    w("The script also re-evaluates the contoso tenant with a small Python restatement of the")
    w("rules in `docs/decisions.md` and refuses to write if any account's findings differ from")
    w("the table below, or if a code is triggered by fewer than two accounts.")
    w("")
    w("## `contoso/` - the default demo tenant")
    w("")
    w("%d accounts in the users file (domain contoso.com). As-of **2026-11-21T09:30:00Z** = the"
      % len(accounts))
    w("newest sign-in (no timestamp anywhere is later; only the exclusion `expires` dates are")
    w("future dates). Sign-in logs cover 2026-08-01T06:14:09Z to the as-of date (112 days).")
    w("")
    w("| file | format |")
    w("|---|---|")
    w("| `exportUsers_2026-11-21.csv` | Entra *Download users*, old 29-column header (1a), "
      "UTF-8 BOM, CRLF, US-locale `createdDateTime` |")
    w("| `exportUserRegistrationDetails_2026-11-21.csv` | portal registration download (3b), no "
      "`isMfaRegistered`, `methodsRegistered` as JSON array literal, BOM, CRLF |")
    w("| `InteractiveSignIns_2026-08-01_2026-11-21.csv`, `NonInteractiveSignIns_...csv` | "
      "late-2024 55-column header (2a), every field quoted, newest first |")
    w("| `MFA_Status_Report_Nov-21-2026.csv` | o365reports per-user MFA script (4), `-` for "
      "blank, every field quoted |")
    w("| `mfa-exclusions.csv` | `userPrincipalName,reason,expires`, LF |")
    w("")
    w("Defaults assumed: `--stale-after 14 --active-within 14 --dormant-after 90`, as-of from the")
    w("data. \"Registered\" = at least one MFA-capable method in `methodsRegistered` (email,")
    w("securityQuestion, temporaryAccessPass do not count). Admin = `isAdmin` True. Phone")
    w("numbers written without `+` are read with the account's `usageLocation` (all US here).")
    w("")
    w("Other things in the data:")
    w("- `ghost.user@contoso.com`: registration row (orphan) and sign-ins, but no users row;")
    w("  not an account (input issue at most). `Sync_DC01_4f2a9c1b7e3d@contoso.onmicrosoft.com`:")
    w("  one non-interactive row of the directory-sync service account, also not in users.")
    w("- `old.contractor@contoso.com` in `mfa-exclusions.csv` matches no account (input issue).")
    w("- No registration row (registration-unknown): missing.phone2, prepop.phone2, prepop.phone4,")
    w("  invalid.phone3 (in scope); svc.scanner and vendor guest (out of scope). These are also")
    w("  left out of the per-user report so it cannot stand in for the missing registration.")
    w("  Three clean accounts are missing from the per-user report too (it covers most users).")
    w("- The KMSI interrupt (50140), MFA-required interrupts (50074, 50076) and mistyped passwords")
    w("  (50126) also appear on clean accounts and must not change their result.")
    w("- `disabled.former` has the UK drama-range number `+44 7700 900123` (libphonenumber treats")
    w("  07700 900xxx as invalid); the account is out of scope, so it flags nothing either way.")
    w("")
    w("Finding counts (in-scope accounts per code): " + ", ".join(
        "`%s` %d" % (c, counts[c]) for c in CODES) + ".")
    w("")
    w("| account (UPN) | must trigger | scenario / why (and what it must NOT trigger) |")
    w("|---|---|---|")
    special = [a for a in accounts if not a["why"].startswith("clean:")]
    clean = [a for a in accounts if a["why"].startswith("clean:")]
    for a in special:
        codes = ", ".join("`%s`" % c for c in CODES if c in a["expect"]) or "nothing"
        w("| `%s` | %s | %s |" % (a["upn"], codes, a["why"].replace("|", "\\|")))
    w("| %d clean accounts (`adele.vance@` ... `amelia.wright@`) | nothing | Authenticator push "
      "(+OTP), unique valid mobile (mixed forms: `+1 206 555 0100`, `(206) 555-0101`, "
      "`+1 (312) 555-0122`, `+12065550103`, `206-555-0104`, GB `+44 7400 ...`, DE "
      "`+49 151 ...`), interactive sign-in in the last 5 days, per-user Enforced or Disabled |"
      % len(clean))
    w("")
    w("## `formats/` - one small tenant in every other format")
    w("")
    w("Six accounts of fabrikam.com, the same in every sub-folder (fixed GUIDs). Each sub-folder")
    w("(and each single file in `quirks/` and `malformed/`) can be audited alone. Sign-ins")
    w("run 2026-11-01T07:03:11Z .. 2026-11-21T09:30:00Z (as-of).")
    w("")
    w("| account | expected (folders with registration + sign-ins) | notes |")
    w("|---|---|---|")
    for a in fab:
        codes, note = FAB_EXPECT[a["upn"]]
        w("| `%s` | %s | %s |" % (a["upn"], ", ".join("`%s`" % c for c in codes) or "nothing",
                                 note))
    w("")
    w("Without sign-ins (`m365-old/`, `m365-new/`) bob has `not-registered`, `missing-phone`")
    w("only; stale-kmsi / dormant / registration-skipped are not evaluated. The M365 exports have")
    w("no user type column, and `Block credential` True = disabled (erin).")
    w("")
    w("| folder / file | what |")
    w("|---|---|")
    w("| `entra-csv/` | users (1a current grid: `id,displayName,userPrincipalName,department,"
      "jobTitle,userType,accountEnabled,mobilePhone,usageLocation`), registration (3b), "
      "interactive + non-interactive sign-in CSVs (2a) |")
    w("| `xlsx/` | the same four files as .xlsx, one sheet each; sign-in `Date (UTC)` are real "
      "Excel date cells (UTC, no zone); as Excel saves an opened CSV, `True`/`False` are boolean "
      "cells, error code / latency / AS number are number cells, empty fields have no cell; "
      "alice's mobile is the number cell 14255550100 |")
    w("| `graph-json/` | `users-page1.json` (with `@odata.nextLink`) + `users-page2.json` (1c, "
      "with `signInActivity`), `userRegistrationDetails.json` (3a, `isMfaRegistered`), "
      "`signIns.json` (2b bare array, interactive + non-interactive) |")
    w("| `m365-old/`, `m365-new/` | M365 admin center *Export users* (1b) in the old "
      "alphabetical and the 2025 column order, plus the registration CSV |")
    w("| `quirks/semicolon-bom.csv` | users, `;` delimiter, UTF-8 BOM |")
    w("| `quirks/utf16le.csv` | users, UTF-16 LE with BOM, tab-delimited (Excel Unicode text) |")
    w("| `quirks/windows1252.csv` | users, Windows-1252, PowerShell 5.1 `Export-Csv` (`#TYPE` "
      "first line, PascalCase headers, every field quoted); frank = `José Müller`, job title "
      "`Engineer – Platform` (en dash = byte 0x96, not Latin-1) |")
    w("| `quirks/dmy-dates.csv` | users with day-first `createdDateTime` (`19/08/2021 13:25`) |")
    w("| `quirks/ambiguous-dates.csv` | users whose dates all fit both orders (`3/4/2021 10:00`)"
      " |")
    w("| `quirks/signins.zip` | `InteractiveSignIns_...csv`, `NonInteractiveSignIns_...csv`, "
      "`InteractiveSignIns_AuthDetails_...csv` as the portal zips them |")
    w("| `quirks/signins-unnamed.csv` | the interactive sign-ins under a name that says nothing "
      "(must be named with `--interactive`) |")
    w("| `quirks/per-user-graph.csv` | Graph-based per-user MFA script (lowercase states, "
      "`Blocked`) |")
    w("| `quirks/o365-disabled-users.csv` | o365reports disabled-users shape (dave, erin, frank) |")
    w("| `quirks/credential-details.json` | 3c beta `credentialUserRegistrationDetails` page |")
    w("| `malformed/bad-values-users.csv` | bob `accountEnabled` = `Maybe`; carol "
      "`createdDateTime` = `not a date`; dave twice (`dave@fabrikam.com`, `DAVE@Fabrikam.com`);"
      " `  erin@fabrikam.com  ` with spaces; one row with an empty UPN |")
    w("| `malformed/no-upn.csv` | `displayName,department,mobilePhone`: no UPN / id column |")
    w("| `malformed/bad-methods-registration.csv` | bob `System.Object[]`, carol `[unclosed`, "
      "dave `mobilePhone;softwareOneTimePasscode` (script-joined) |")
    w("")
    w("## `campaign/` - one tenant, three weekly exports (for `--baseline`)")
    w("")
    w("Generated by `python3 scripts/make_campaign.py` (stdlib only), not by this script.")
    w("`week-2026-11-14/`, `week-2026-11-21/`, `week-2026-11-28/` each hold an Entra users download")
    w("(1a) and a registration details download with `isMfaRegistered` for adatum.com (10 accounts a")
    w("week); the newest timestamp of each week (09:00 UTC) is its as-of. Between weeks 1 and 2: alice,")
    w("judy (renamed from `judy.old` to `judy.jones`, same id) and niaj (no registration row in week")
    w("1) register; erin loses her methods; dave gets a directory mobile; olivia is disabled; frank")
    w("and grace leave; heidi (not registered) and ivan (registered) join. In week 3 carol, dave and")
    w("heidi register. `tests/expected/campaign/progress-2026-11-21.csv` is the expected progress")
    w("between weeks 1 and 2, written from this scenario.")
    w("")
    w('## `securescore/` - a small tenant with its Secure Score exports')
    w('')
    w('Generated by `python3 scripts/make_securescore_fixture.py` (stdlib only, after this script), not')
    w('by this script. tailspin.com, 27 accounts: the Entra users download (1a), the registration')
    w('details download (`isMfaRegistered`, `lastUpdatedDateTime`), an exclusions list, and the three')
    w('Secure Score exports as Graph returns them: `secureScores.json` (two score objects, the newer')
    w('used; `count`/`total` as strings), `secureScoreControlProfiles.json` and `recommendations.json`')
    w('(beta, `$expand=impactedResources`). Every reason of `securescore.csv` is planted beside a near')
    w("miss: bob registered after the score's date (carol before it, sybil exactly at it); dave (guest),")
    w('erin (disabled) and frank (excluded) outside our population; grace (`dismissed`) and heidi')
    w('(`postponed`) accepted by an admin; ivan `completedByUser` but not registered (judy')
    w('`completedBySystem` and registered: no row); mallory created after the score and niaj not')
    w('registered, neither listed; peggy matched by `subjectId`, trent and rupert by display name; two')
    w('Sam Smiths, so a resource naming only that display name matches nobody; Gus Ghost and Formula')
    w('Fred (whose UPN in `additionalDetails` starts with `@`) match no account. AdminMFAV2: bruno')
    w('(registered admin, listed), celine (listed, not an admin in our inputs), dmitri (admin not')
    w('registered, not listed); adele and eve agree. `tests/secure_score.rs` checks each.')
    w('')
    w('### `formats/secure-score/`')
    w('')
    w('The same exports in the other shapes tools write, from the same script:')
    w('`secure-score-results.json` (`{"Results": [...]}`, with a score object that carries neither')
    w('control), `secureScores-powershell.json` (Windows PowerShell 5.1 `Get-MgSecuritySecureScore |')
    w('ConvertTo-Json -Depth 10`: PascalCase, `count`/`total` in `AdditionalProperties`, `/Date(ms)/`),')
    w('`controlProfiles-list.json` and `recommendations-list.json` (bare lists).')
    w('')
    return "\n".join(L)


def main():
    for sub in ("contoso", "formats"):
        if (FIX / sub).exists():
            shutil.rmtree(FIX / sub)
    accounts = contoso_accounts()
    counts = check_contoso(accounts)
    write_contoso()
    fab = write_formats()
    write_bytes(FIX / "README.md", readme(accounts, counts, fab).encode("utf-8"))
    for p in WRITTEN:
        print(p.relative_to(ROOT))


if __name__ == "__main__":
    main()
