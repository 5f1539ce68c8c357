#!/usr/bin/env python3
"""Writes the contoso authentication methods policy (fixtures/contoso/authenticationMethodsPolicy.json,
Graph camelCase, from scripts/make_contoso_ca.py) in the other forms real exports take, into
fixtures/formats/methods-policy/:

  powershell.json   Get-MgPolicyAuthenticationMethodPolicy | ConvertTo-Json -Depth 10: PascalCase
                    properties, method-specific fields in camelCase inside AdditionalProperties
  scubagear.json    a ScubaGear provider export: keys with their first letter upper-cased, the
                    policy and its configurations apart (authentication_method), privileged users
  shallow.json      the same PowerShell export made with the default -Depth 2: nested objects are
                    written as type names (the audit must refuse it, naming the file)

tests/methods_policy.rs audits contoso with each form in place of the Graph one: same findings.
Deterministic; stdlib only.
"""

import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
SRC = ROOT / "fixtures" / "contoso" / "authenticationMethodsPolicy.json"
OUT = ROOT / "fixtures" / "formats" / "methods-policy"
GA = "62e90394-69f5-4237-9190-012177145e10"


def pascal(k):
    return k if k.startswith("@") else k[0].upper() + k[1:]


def upper_first(v):
    """ScubaGear's ConvertFrom-GraphHashtable: every key's first letter upper, values unchanged."""
    if isinstance(v, dict):
        return {pascal(k): upper_first(x) for k, x in v.items()}
    if isinstance(v, list):
        return [upper_first(x) for x in v]
    return v


def sdk_config(c):
    """A typed SDK object: Id, State, ExcludeTargets as properties; the rest camelCase inside
    AdditionalProperties (the Graph SDK keeps derived-type fields there)."""
    extra = {k: v for k, v in c.items() if k not in ("id", "state", "excludeTargets")}
    return {"Id": c["id"], "State": c["state"],
            "ExcludeTargets": [upper_first(t) for t in c.get("excludeTargets", [])],
            "AdditionalProperties": extra}


def main():
    p = json.loads(SRC.read_text(encoding="utf-8"))
    OUT.mkdir(parents=True, exist_ok=True)
    top = {pascal(k): upper_first(v) for k, v in p.items()
           if k not in ("authenticationMethodConfigurations", "@odata.context")}
    ps = dict(top, AuthenticationMethodConfigurations=[sdk_config(c) for c in p["authenticationMethodConfigurations"]])
    (OUT / "powershell.json").write_text(json.dumps(ps, indent=4) + "\n", encoding="utf-8")
    users = {}
    with open(ROOT / "fixtures" / "contoso" / "roleAssignments.json", encoding="utf-8") as f:
        for a in json.load(f)["value"]:
            if a["roleDefinitionId"] == GA and a["directoryScopeId"] == "/":
                users[a["principalId"]] = {"DisplayName": "", "roles": ["Global Administrator"]}
    scuba = {
        "baseline_version": "1", "module_version": "1.6.0", "date": "11/21/2026 09:30:00 UTC",
        "privileged_users": users,
        "authentication_method": [{
            "authentication_method_policy": dict(upper_first({k: v for k, v in p.items()
                                                              if k != "authenticationMethodConfigurations"}),
                                                 **{"AuthenticationMethodConfigurations@odata.context":
                                                    "https://graph.microsoft.com/beta/$metadata#policies/authenticationMethodsPolicy/authenticationMethodConfigurations"}),
            "authentication_method_feature_settings": upper_first(p["authenticationMethodConfigurations"]),
        }],
    }
    (OUT / "scubagear.json").write_text(json.dumps(scuba, indent=4) + "\n", encoding="utf-8")
    shallow = dict(top, AuthenticationMethodConfigurations=[
        "Microsoft.Graph.PowerShell.Models.MicrosoftGraphAuthenticationMethodConfiguration"
        for _ in p["authenticationMethodConfigurations"]])
    (OUT / "shallow.json").write_text(json.dumps(shallow, indent=4) + "\n", encoding="utf-8")
    print("wrote", ", ".join(sorted(x.name for x in OUT.glob("*.json"))))


if __name__ == "__main__":
    main()
