//! JSON reader: a Graph page (`{"value": [...]}`), a bare array (portal downloads) or one object
//! per line (NDJSON). Nested objects are flattened to dotted headers (`signInActivity.lastSignInDateTime`,
//! `status.errorCode`) and arrays kept as JSON text, so the header alias table covers JSON too.
//! serde_json parses a whole file at once: a JSON input is held in memory while it is read.

use serde_json::{Map, Value};

use super::{Format, InputError, RowsSource};

fn flatten(prefix: &str, obj: &Map<String, Value>, out: &mut Vec<(String, String)>) {
    for (k, v) in obj {
        if k.starts_with("@odata") {
            continue;
        }
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            Value::Object(m) => flatten(&key, m, out),
            Value::Null => out.push((key, String::new())),
            Value::String(s) => out.push((key, s.clone())),
            Value::Bool(b) => out.push((key, b.to_string())),
            Value::Number(n) => out.push((key, n.to_string())),
            Value::Array(_) => out.push((key, v.to_string())),
        }
    }
}

pub fn read(name: &str, text: &str) -> Result<RowsSource, InputError> {
    let t = text.trim_start_matches('\u{feff}').trim();
    let bad = |why: String| InputError::Unreadable {
        file: name.to_string(),
        why,
    };
    let mut truncated = None;
    let whole = serde_json::from_str::<Value>(t);
    if let Some(kind) = whole.as_ref().ok().and_then(super::other_kinds::of_json) {
        return Err(InputError::OtherKind {
            file: name.to_string(),
            kind,
        });
    }
    let (shape, items): (&str, Vec<(usize, Value)>) = match whole {
        Ok(Value::Array(a)) => (
            "array",
            a.into_iter().enumerate().map(|(i, v)| (i + 1, v)).collect(),
        ),
        Ok(Value::Object(mut o)) => match o.remove("value") {
            Some(Value::Array(a)) => (
                "Graph page",
                a.into_iter().enumerate().map(|(i, v)| (i + 1, v)).collect(),
            ),
            // One record on its own (an archive blob holding a single line, one object per
            // file); a Graph error response (`{"error": ...}`) is not a record.
            None if !o.contains_key("error") => ("one object", vec![(1, Value::Object(o))]),
            _ => {
                return Err(bad(
                    "JSON object without a `value` array: expected a Graph page {\"value\": [...]}, a bare array, or one object per line".into(),
                ));
            }
        },
        Ok(_) => {
            return Err(bad(
                "JSON that is neither a Graph page, an array nor one object per line".into(),
            ));
        }
        Err(whole_err) => {
            // NDJSON: one object per line. Only the last line may be cut off.
            let lines: Vec<(usize, &str)> = t
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
                .collect();
            let mut items = Vec::new();
            for (k, (i, line)) in lines.iter().enumerate() {
                match serde_json::from_str::<Value>(line) {
                    Ok(v) => items.push((i + 1, v)),
                    Err(e) if k + 1 == lines.len() && !items.is_empty() => {
                        truncated = Some((i + 1, e.to_string()));
                    }
                    Err(e) => {
                        return Err(bad(format!(
                            "not valid JSON ({whole_err}); read as one object per line, line {} fails: {e}",
                            i + 1
                        )));
                    }
                }
            }
            ("one object per line", items)
        }
    };
    let mut headers: Vec<String> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = Default::default();
    let mut flat_rows = Vec::with_capacity(items.len());
    for (n, item) in items {
        let Value::Object(obj) = item else {
            return Err(bad(format!("item {n} is not an object")));
        };
        let mut flat = Vec::new();
        flatten("", &obj, &mut flat);
        for (k, _) in &flat {
            if !index.contains_key(k) {
                index.insert(k.clone(), headers.len());
                headers.push(k.clone());
            }
        }
        flat_rows.push((n, flat));
    }
    let rows = flat_rows
        .into_iter()
        .map(|(n, flat)| {
            let mut cells = vec![String::new(); headers.len()];
            for (k, v) in flat {
                if let Some(&i) = index.get(&k) {
                    cells[i] = v;
                }
            }
            // Items are numbered from 2 so "row" reads like a spreadsheet with a header row.
            (n + 1, cells)
        })
        .collect();
    Ok(RowsSource {
        headers,
        header_row: 1,
        rows,
        format: Format::Json {
            shape: shape.to_string(),
        },
        truncated,
    })
}
