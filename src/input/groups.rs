//! Reads group memberships into (group, member) edges: Graph `groups?$expand=members` pages, a
//! membership CSV with one row per (group, member), or the Entra one-group "Download members" CSV
//! named by the user (`GROUP=FILE`). Members that are groups make nesting, expanded elsewhere.

use serde_json::Value;
use std::collections::BTreeSet;

use crate::input::text::decode_text;

/// (group id or name, member id or UPN), both lower-cased.
#[derive(Debug, Default, Clone)]
pub struct Memberships {
    pub edges: Vec<(String, String)>,
    /// Group display name (lower-cased) -> group id, from inputs that carry both.
    pub names: Vec<(String, String)>,
}

fn field<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.as_object()?
        .iter()
        .find(|(k, _)| !k.contains('@') && k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

/// Reads one membership file. `group` names the group for a one-group download.
pub fn read(
    name: &str,
    data: &[u8],
    group: Option<&str>,
    out: &mut Memberships,
) -> Result<(), String> {
    let text = decode_text(data);
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with('{') || t.starts_with('[') {
        let v: Value = serde_json::from_str(t)
            .map_err(|e| format!("{name}: not valid JSON at line {}: {e}", e.line()))?;
        let items: Vec<&Value> = match &v {
            Value::Array(a) => a.iter().collect(),
            Value::Object(_) => match field(&v, "value") {
                Some(Value::Array(a)) => a.iter().collect(),
                _ => vec![&v],
            },
            _ => Vec::new(),
        };
        for (i, g) in items.into_iter().enumerate() {
            let gid = field(g, "id")
                .and_then(|x| x.as_str())
                .ok_or_else(|| format!("{name}: group {}: expected an id", i + 1))?;
            let gid = gid.to_ascii_lowercase();
            if let Some(n) = field(g, "displayName").and_then(|x| x.as_str()) {
                out.names.push((n.to_lowercase(), gid.clone()));
            }
            let members = match field(g, "members") {
                Some(Value::Array(a)) => a,
                _ => {
                    return Err(format!(
                        "{name}: group {}: expected a members array ($expand=members)",
                        i + 1
                    ));
                }
            };
            for (j, m) in members.iter().enumerate() {
                let id = field(m, "id")
                    .or_else(|| field(m, "userPrincipalName"))
                    .and_then(|x| x.as_str())
                    .ok_or_else(|| {
                        format!("{name}: group {} member {}: expected an id", i + 1, j + 1)
                    })?;
                out.edges.push((gid.clone(), id.to_lowercase()));
            }
        }
        return Ok(());
    }
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(t.as_bytes());
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| format!("{name}: {e}"))?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase().replace(' ', ""))
        .collect();
    let col = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| headers.iter().position(|h| h == n))
    };
    let gcol = col(&["groupid", "groupname", "groupdisplayname"]);
    let mcol = col(&[
        "memberid",
        "objectid",
        "id",
        "memberuserprincipalname",
        "userprincipalname",
    ]);
    let Some(mc) = mcol else {
        return Err(format!(
            "{name}: row 1: expected a member column (MemberId, Id, UserPrincipalName), found {}",
            headers.join(", ")
        ));
    };
    if gcol.is_none() && group.is_none() {
        return Err(format!(
            "{name}: a one-group members download does not name its group; give it as --group-members GROUP={name}"
        ));
    }
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| format!("{name}: row {}: {e}", i + 2))?;
        let g = match (group, gcol) {
            (Some(g), _) => g.to_string(),
            (None, Some(c)) => rec.get(c).unwrap_or("").trim().to_string(),
            (None, None) => String::new(),
        };
        let m = rec.get(mc).unwrap_or("").trim();
        if g.is_empty() || m.is_empty() {
            return Err(format!(
                "{name}: row {}: blank group or member, expected both",
                i + 2
            ));
        }
        out.edges.push((g.to_lowercase(), m.to_lowercase()));
    }
    Ok(())
}

/// Transitive groups of `member`, given (group, member) edges where a member may itself be a
/// group. Cycle-safe: every group is visited once. Ids are lower-cased.
pub fn transitive_groups(edges: &[(String, String)], member: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut todo = vec![member.to_ascii_lowercase()];
    while let Some(m) = todo.pop() {
        for (g, x) in edges {
            if x.eq_ignore_ascii_case(&m) {
                let g = g.to_ascii_lowercase();
                if out.insert(g.clone()) {
                    todo.push(g);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_csv_and_one_group_download() {
        let mut m = Memberships::default();
        read("g.json", br##"{"value":[{"id":"G1","displayName":"Admins","members":[{"@odata.type":"#microsoft.graph.group","id":"G2"}]},{"id":"G2","members":[{"@odata.type":"#microsoft.graph.user","id":"U1","userPrincipalName":"u1@c"}]}]}"##, None, &mut m).unwrap();
        read(
            "m.csv",
            b"GroupId,MemberId,MemberType\nG3,U2,User\n",
            None,
            &mut m,
        )
        .unwrap();
        read(
            "d.csv",
            "\u{feff}id,userPrincipalName,displayName,userType\nU3,u3@c,U3,Member\n".as_bytes(),
            Some("G1"),
            &mut m,
        )
        .unwrap();
        assert_eq!(
            transitive_groups(&m.edges, "u1"),
            ["g1".to_string(), "g2".to_string()].into()
        );
        assert_eq!(transitive_groups(&m.edges, "u2"), ["g3".to_string()].into());
        assert_eq!(transitive_groups(&m.edges, "u3"), ["g1".to_string()].into());
        let e = read("d.csv", b"id,userPrincipalName\nU3,u3@c\n", None, &mut m).unwrap_err();
        assert!(e.contains("--group-members"), "{e}");
    }
}
