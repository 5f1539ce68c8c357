//! Reads directory role assignments (Graph `roleManagement/directory/roleAssignments` JSON, or an
//! admin CSV with one row per user and role display name) into (principal id, role template id)
//! pairs. Only tenant-wide assignments (`directoryScopeId` "/") count. Holds the built-in role table.

use serde_json::Value;

use crate::input::text::decode_text;

/// Built-in Entra roles (display name, template id), from the Microsoft Entra built-in roles
/// reference. Only ids known for certain are listed.
pub const BUILT_IN_ROLES: &[(&str, &str)] = &[
    (
        "Global Administrator",
        "62e90394-69f5-4237-9190-012177145e10",
    ),
    (
        "Privileged Role Administrator",
        "e8611ab8-c189-46e8-94e1-60213ab1f814",
    ),
    (
        "Privileged Authentication Administrator",
        "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
    ),
    (
        "Security Administrator",
        "194ae4cb-b126-40b2-bd5b-6091b380977d",
    ),
    ("Security Operator", "5f2222b1-57c3-48ba-8ad5-d4759f1fde6f"),
    ("Security Reader", "5d6b6bb7-de71-4623-b4af-96380a352509"),
    (
        "Conditional Access Administrator",
        "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9",
    ),
    ("User Administrator", "fe930be7-5e62-47db-91af-98c3a49a38b1"),
    (
        "Exchange Administrator",
        "29232cdf-9323-42fd-ade2-1d097af3e4de",
    ),
    (
        "Exchange Recipient Administrator",
        "31392ffb-586c-42d1-9346-e59415a2cc4e",
    ),
    (
        "SharePoint Administrator",
        "f28a1f50-f6e7-4571-818b-6a12f2af6b6c",
    ),
    (
        "Teams Administrator",
        "69091246-20e8-4a56-aa4d-066075b2a7a8",
    ),
    (
        "Helpdesk Administrator",
        "729827e3-9c14-49f7-bb1b-9608f156bbb8",
    ),
    (
        "Password Administrator",
        "966707d0-3269-4727-9be2-8c3a10f19b9d",
    ),
    (
        "Authentication Administrator",
        "c4e39bd9-1100-46d3-8c65-fb160da0071f",
    ),
    (
        "Authentication Policy Administrator",
        "0526716b-113d-4c15-b2c8-68e3c22b9f80",
    ),
    (
        "Application Administrator",
        "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
    ),
    (
        "Cloud Application Administrator",
        "158c047a-c907-4556-b7ef-446551a6b5f7",
    ),
    (
        "Application Developer",
        "cf1c38e5-3621-4004-a7cb-879624dced7c",
    ),
    (
        "Hybrid Identity Administrator",
        "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2",
    ),
    (
        "Groups Administrator",
        "fdd7a751-b60b-444a-984c-02652fe8fa1c",
    ),
    (
        "Intune Administrator",
        "3a2c62db-5318-420d-8d74-23affee5d9d5",
    ),
    (
        "Cloud Device Administrator",
        "7698a772-787b-4ac8-901f-60d6b08affd2",
    ),
    (
        "Billing Administrator",
        "b0f54661-2d74-4c50-afa3-1ec803f12efe",
    ),
    (
        "License Administrator",
        "4d6ac14f-3453-41d0-bef9-a3e0c569773a",
    ),
    (
        "Compliance Administrator",
        "17315797-102d-40b4-93e0-432062caca18",
    ),
    (
        "Service Support Administrator",
        "f023fd81-a637-4b56-95fd-791ac0226033",
    ),
    (
        "Power Platform Administrator",
        "11648597-926c-4cf3-9c36-bcebb0ba8dcc",
    ),
    ("Global Reader", "f2ef992c-3afb-46b9-b7cf-a126ee74c451"),
    ("Reports Reader", "4a5d8f65-41da-4de4-8968-e035b65339cf"),
    ("Directory Readers", "88d8e3e3-8f55-4a1e-953a-9b9898b8876b"),
    (
        "Directory Synchronization Accounts",
        "d29b2b05-8046-44ba-8758-1e26182fcf32",
    ),
];

/// Template id of a built-in role display name (case-insensitive), or an id given as is.
pub fn role_id(name_or_id: &str) -> Option<String> {
    let t = name_or_id.trim();
    if t.len() == 36 && t.chars().filter(|c| *c == '-').count() == 4 {
        return Some(t.to_ascii_lowercase());
    }
    // MSOnline's legacy name for Global Administrator.
    let t = if t.eq_ignore_ascii_case("Company Administrator") {
        "Global Administrator"
    } else {
        t
    };
    BUILT_IN_ROLES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(t))
        .map(|(_, id)| id.to_string())
}

/// What was read: tenant-wide (principal id lower-cased, role template id) pairs, plus notes
/// on rows not used (scoped assignments, unknown role names), each with file and row.
#[derive(Debug, Default, Clone)]
pub struct RoleAssignments {
    pub pairs: Vec<(String, String)>,
    pub ignored: Vec<String>,
}

fn field<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .and_then(|(_, v)| v.as_str())
}

/// Reads one role-assignment file named `name` (JSON or CSV, by content).
pub fn read(name: &str, data: &[u8], out: &mut RoleAssignments) -> Result<(), String> {
    let text = decode_text(data);
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with('{') || t.starts_with('[') {
        let v: Value = serde_json::from_str(t)
            .map_err(|e| format!("{name}: not valid JSON at line {}: {e}", e.line()))?;
        let items: Vec<&Value> = match &v {
            Value::Array(a) => a.iter().collect(),
            Value::Object(o) => match o.iter().find(|(k, _)| k.eq_ignore_ascii_case("value")) {
                Some((_, Value::Array(a))) => a.iter().collect(),
                _ => vec![&v],
            },
            _ => Vec::new(),
        };
        for (i, it) in items.into_iter().enumerate() {
            let (Some(p), Some(r)) = (field(it, "principalId"), field(it, "roleDefinitionId"))
            else {
                return Err(format!(
                    "{name}: item {}: expected principalId and roleDefinitionId",
                    i + 1
                ));
            };
            let scope = field(it, "directoryScopeId").unwrap_or("/");
            if scope != "/" {
                out.ignored.push(format!(
                    "{name}: item {}: scope {scope:?} is not tenant-wide, ignored",
                    i + 1
                ));
                continue;
            }
            out.pairs
                .push((p.to_ascii_lowercase(), r.to_ascii_lowercase()));
        }
        return Ok(());
    }
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(t.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| format!("{name}: {e}"))?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect::<Vec<_>>();
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let (Some(uc), Some(rc)) = (
        col(&["userid", "principalid", "objectid", "id"]),
        col(&["role", "roledisplayname", "roledefinitionid", "rolename"]),
    ) else {
        return Err(format!(
            "{name}: row 1: expected a user id column (UserId/PrincipalId) and a role column (Role/RoleDefinitionId), found {}",
            headers.join(", ")
        ));
    };
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| format!("{name}: row {}: {e}", i + 2))?;
        let u = rec.get(uc).unwrap_or("").trim();
        let r = rec.get(rc).unwrap_or("").trim();
        match role_id(r) {
            Some(id) if !u.is_empty() => out.pairs.push((u.to_ascii_lowercase(), id)),
            _ => out.ignored.push(format!(
                "{name}: row {}: role {r:?} is not in the built-in role table or the user id is blank, ignored",
                i + 2
            )),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_and_csv_shapes() {
        let mut r = RoleAssignments::default();
        read("r.json", br#"{"value":[{"principalId":"A","roleDefinitionId":"62e90394-69f5-4237-9190-012177145e10","directoryScopeId":"/"},{"principalId":"b","roleDefinitionId":"fe930be7-5e62-47db-91af-98c3a49a38b1","directoryScopeId":"/administrativeUnits/x"}]}"#, &mut r).unwrap();
        assert_eq!(
            r.pairs,
            [(
                "a".to_string(),
                "62e90394-69f5-4237-9190-012177145e10".to_string()
            )]
        );
        assert_eq!(r.ignored.len(), 1);
        let mut r = RoleAssignments::default();
        read("a.csv", b"\"UserName\",\"UserId\",\"Role\",\"DisplayName\"\n\"x@c\",\"U1\",\"Security Administrator\",\"X\"\n\"y@c\",\"U2\",\"Made Up Role\",\"Y\"\n", &mut r).unwrap();
        assert_eq!(
            r.pairs,
            [(
                "u1".to_string(),
                "194ae4cb-b126-40b2-bd5b-6091b380977d".to_string()
            )]
        );
        assert!(r.ignored[0].contains("row 3"));
        assert_eq!(
            role_id("Company Administrator").as_deref(),
            Some("62e90394-69f5-4237-9190-012177145e10")
        );
    }
}
