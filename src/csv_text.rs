//! Text in the CSV files a person opens: formula neutralising (`inert`) and the one CSV
//! serialiser every writer uses. A leaf: it imports nothing of the crate.

/// Neutralises text a spreadsheet would run as a formula (starts with `=`, `+`, `-`, `@`, tab or
/// CR) by prefixing an apostrophe. Plain numbers such as `+1 425...` or `-5` are left alone.
pub fn inert(s: &str) -> std::borrow::Cow<'_, str> {
    // The first byte decides for almost every cell (this runs for every cell of the CSVs).
    let formula = match s.as_bytes().first() {
        Some(b'=' | b'@' | b'\t' | b'\r') => true,
        Some(b'+' | b'-') => {
            let numeric = s.len() > 1
                && s[1..].bytes().all(|c| {
                    c.is_ascii_digit() || matches!(c, b' ' | b'.' | b'(' | b')' | b'x' | b'-')
                });
            !numeric
        }
        _ => false,
    };
    if formula {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// A CSV in memory: header plus rows, each field quoted only where needed. A human-facing file
/// (`neutralise`) has every cell passed through `inert`; a machine-import file holds only
/// validated values and is written as they are.
pub fn csv_bytes<S: AsRef<str>>(header: &[&str], rows: &[Vec<S>], neutralise: bool) -> Vec<u8> {
    // Sized up front (text, separators, some quoting): a large table grows its buffer once, not
    // by doubling copies.
    let text: usize = rows
        .iter()
        .map(|r| r.iter().map(|c| c.as_ref().len() + 1).sum::<usize>() + 2)
        .sum();
    // Writing to a Vec cannot fail.
    csv_write(
        Vec::with_capacity(text + text / 8 + 1024),
        header,
        rows,
        neutralise,
    )
    .unwrap_or_default()
}

/// `csv_bytes` written into `out` as it is made (a large table is never held as one buffer),
/// from any rows of cells.
pub fn csv_write<W, R, C, S>(
    out: W,
    header: &[&str],
    rows: R,
    neutralise: bool,
) -> std::io::Result<W>
where
    W: std::io::Write,
    R: IntoIterator<Item = C>,
    C: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    w.write_record(header)?;
    for r in rows {
        for c in r {
            if neutralise {
                w.write_field(inert(c.as_ref()).as_bytes())?;
            } else {
                w.write_field(c.as_ref().as_bytes())?;
            }
        }
        // Ends the record the fields began.
        w.write_record(None::<&[u8]>)?;
    }
    w.into_inner().map_err(|e| e.into_error())
}

#[cfg(test)]
mod inert_tests {
    use super::inert;
    use proptest::prelude::*;

    /// The rule as first written, a character at a time: what `inert` must keep doing.
    fn by_chars(s: &str) -> String {
        let starts = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
        let numeric = s.starts_with(['+', '-'])
            && s.len() > 1
            && s[1..]
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '(' | ')' | 'x' | '-'));
        if starts && !numeric {
            format!("'{s}")
        } else {
            s.to_string()
        }
    }

    #[test]
    fn formulas_get_an_apostrophe_and_phone_numbers_do_not() {
        let cases = [
            ("=1+3 MSOBB", "'=1+3 MSOBB"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("+1 425 555 0100", "+1 425 555 0100"),
            ("-5", "-5"),
            ("-(5) x12", "-(5) x12"),
            ("-", "'-"),
            ("+é", "'+é"),
            ("-1é", "'-1é"),
            ("plain", "plain"),
            ("", ""),
        ];
        for (input, want) in cases {
            assert_eq!(inert(input), want, "{input:?}");
        }
    }

    proptest! {
        #[test]
        fn inert_decides_as_the_rule_by_characters(s in "[=+@\\-\t\r 0-9.()xaé]{0,8}") {
            prop_assert_eq!(inert(&s).into_owned(), by_chars(&s));
        }
    }
}
