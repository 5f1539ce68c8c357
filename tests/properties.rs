//! Property tests: the readers never panic on arbitrary input, and every file that reads keeps
//! `rows read = rows used + rows rejected + rows ignored` (the value parsers' properties are unit tests in
//! src/input/value_props.rs).

use mfa_audit::Given;
use proptest::prelude::*;

fn inspect_bytes(bytes: &[u8], name: &str) -> Result<Vec<mfa_audit::Inspection>, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).map_err(|e| e.to_string())?;
    let given = [Given {
        path,
        kind: None,
        sign_in_type: None,
    }];
    mfa_audit::inspect(&given, None)
        .map(|(list, _)| list)
        .map_err(|e| e.to_string())
}

fn reconciles(list: &[mfa_audit::Inspection]) -> bool {
    list.iter()
        .all(|i| i.info.rows.read == i.info.rows.used + i.info.rows.rejected + i.info.rows.ignored)
}

const USERS_HEADER: &str =
    "userPrincipalName,displayName,id,accountEnabled,mobilePhone,usageLocation,createdDateTime\n";
const SIGN_IN_HEADER: &str = "Date (UTC),User ID,Username,Status,Sign-in error code\n";

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic_and_reconcile(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        if let Ok(list) = inspect_bytes(&bytes, "exportUsers_2026-11-21.csv") {
            prop_assert!(reconciles(&list));
        }
    }

    #[test]
    fn users_csv_with_arbitrary_rows_reconciles(
        rows in prop::collection::vec(prop::collection::vec("[ -~]{0,12}", 0..9), 1..30),
        quote_some in any::<bool>(),
    ) {
        let mut text = String::from(USERS_HEADER);
        for (i, r) in rows.iter().enumerate() {
            let cells: Vec<String> = r
                .iter()
                .map(|c| if quote_some && i % 2 == 0 { format!("\"{}\"", c.replace('"', "\"\"")) } else { c.replace(['"', ','], "") })
                .collect();
            text.push_str(&cells.join(","));
            text.push('\n');
        }
        match inspect_bytes(text.as_bytes(), "exportUsers_2026-11-21.csv") {
            Ok(list) => {
                prop_assert!(reconciles(&list));
                let read: u64 = list.iter().map(|i| i.info.rows.read).sum();
                prop_assert!(read <= rows.len() as u64);
            }
            // An input error (e.g. undecidable date order, no data rows) is fine: no panic.
            Err(e) => prop_assert!(!e.is_empty()),
        }
    }

    #[test]
    fn sign_in_csv_with_arbitrary_values_reconciles(
        rows in prop::collection::vec(("[0-9/:TZ -]{0,22}", "[a-z@.]{0,12}", "[A-Za-z]{0,10}", "[0-9]{0,6}"), 0..40),
    ) {
        let mut text = String::from(SIGN_IN_HEADER);
        for (date, upn, status, code) in &rows {
            text.push_str(&format!("{date},,{upn},{status},{code}\n"));
        }
        match inspect_bytes(text.as_bytes(), "InteractiveSignIns_2026-11-01_2026-11-21.csv") {
            Ok(list) => {
                prop_assert!(reconciles(&list));
                let read: u64 = list.iter().map(|i| i.info.rows.read).sum();
                prop_assert_eq!(read, rows.iter().filter(|r| !(r.0.is_empty() && r.1.is_empty() && r.2.is_empty() && r.3.is_empty())).count() as u64);
            }
            Err(e) => prop_assert!(e.contains("InteractiveSignIns")),
        }
    }
}

#[test]
fn blank_rows_are_not_records_in_csv() {
    let text = format!("{SIGN_IN_HEADER},,,,\n2026-11-20T08:00:00Z,,a@b.com,Success,0\n,,,,\n");
    let list = inspect_bytes(
        text.as_bytes(),
        "InteractiveSignIns_2026-11-01_2026-11-21.csv",
    )
    .expect("reads");
    assert_eq!(list[0].info.rows.read, 1);
    assert_eq!(list[0].info.rows.used, 1);
}
