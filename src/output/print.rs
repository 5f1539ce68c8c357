//! Page setup for printing and PDF: one function, `Page::apply`, used on every worksheet of the
//! workbook. Landscape, one page wide (the Summary on exactly one page), the header row repeated
//! on every page, and a header and footer with the tenant domain, the as-of date, the sheet name
//! and page numbers.

use std::collections::BTreeMap;

use rust_xlsxwriter::{Worksheet, XlsxError};

use crate::report::Report;

/// How a sheet is laid out on paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Rows repeated at the top of every printed page (first, last), 0-based.
    pub title_rows: (u32, u32),
    /// Scale the whole sheet onto one page instead of one page wide.
    pub one_page: bool,
}

impl Layout {
    /// A list with its header in the first row: one page wide, as many pages tall as needed.
    pub const LIST: Layout = Layout {
        title_rows: (0, 0),
        one_page: false,
    };
    /// A dashboard (the Summary): the whole sheet on one page, charts whole.
    pub const ONE_PAGE: Layout = Layout {
        title_rows: (0, 0),
        one_page: true,
    };
    /// A list whose header row is further down the sheet.
    pub fn titles_at(row: u32) -> Layout {
        Layout {
            title_rows: (row, row),
            one_page: false,
        }
    }
}

/// What every printed page says: which tenant, as of when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The tenant's main domain (the most common domain among member UPNs).
    pub tenant: String,
    /// The as-of date, `YYYY-MM-DD`.
    pub as_of: String,
}

/// The most common domain of the member accounts' UPNs (guests' `#EXT#` UPNs left out), ties to
/// the alphabetically first; empty when there is none.
pub fn tenant_domain(r: &Report) -> String {
    let counts = domain_counts(r);
    let mut best: Option<(&String, usize)> = None;
    for (d, &n) in &counts {
        if best.is_none_or(|(_, b)| n > b) {
            best = Some((d, n));
        }
    }
    best.map(|(d, _)| d.clone()).unwrap_or_default()
}

/// Member accounts per UPN domain (lowercase; guests' `#EXT#` UPNs left out).
pub fn domain_counts(r: &Report) -> BTreeMap<String, usize> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for a in r.accounts.iter().filter(|a| !a.guest) {
        if let Some((_, d)) = a.upn.rsplit_once('@')
            && !a.upn.contains("#EXT#")
            && d.contains('.')
        {
            *counts.entry(d.to_lowercase()).or_default() += 1;
        }
    }
    counts
}

/// Lines `text` takes when wrapped in a column `width` characters wide (greedy word wrap, a
/// word longer than the line broken). Spreadsheets do not all grow a row to its wrapped text
/// when they open a file (LibreOffice does not), so rows with wrapped text get this height.
pub fn wrapped_lines(text: &str, width: f64) -> usize {
    // Column widths count digit widths; leave a character for the cell padding.
    let w = (width - 1.0).floor().max(1.0) as usize;
    let mut lines = 0;
    for para in text.split('\n') {
        let mut line = 0usize;
        let mut n = 1;
        for word in para.split(' ') {
            let len = word.chars().count();
            if line > 0 && line + 1 + len > w {
                n += 1;
                line = 0;
            }
            let len = if line == 0 && len > w {
                n += (len - 1) / w;
                (len - 1) % w + 1
            } else {
                len
            };
            line += if line > 0 { 1 + len } else { len };
        }
        lines += n;
    }
    lines.max(1)
}

/// Row height in points for `lines` lines of the default 11 pt font.
pub fn row_height(lines: usize) -> f64 {
    15.0 * lines as f64
}

/// Header and footer text: `&` is Excel's control character, so literal ones are doubled.
fn literal(s: &str) -> String {
    s.replace('&', "&&")
}

impl Page {
    pub fn new(r: &Report) -> Page {
        Page {
            tenant: tenant_domain(r),
            as_of: r.summary.as_of.chars().take(10).collect(),
        }
    }

    /// The page header: tenant on the left, sheet name in the middle, as-of date on the right.
    pub fn header(&self) -> String {
        let tenant = if self.tenant.is_empty() {
            "MFA readiness".to_string()
        } else {
            format!("MFA readiness: {}", literal(&self.tenant))
        };
        format!("&L{tenant}&C&A&Ras of {}", literal(&self.as_of))
    }

    /// The page footer: page numbers.
    pub fn footer(&self) -> String {
        "&CPage &P of &N".to_string()
    }

    /// Sets up `ws` for printing. Call it on every worksheet of the workbook.
    pub fn apply(&self, ws: &mut Worksheet, layout: Layout) -> Result<(), XlsxError> {
        ws.set_landscape();
        ws.set_print_fit_to_pages(1, if layout.one_page { 1 } else { 0 });
        ws.set_repeat_rows(layout.title_rows.0, layout.title_rows.1)?;
        ws.set_header(self.header());
        ws.set_footer(self.footer());
        ws.set_margins(0.5, 0.5, 0.75, 0.75, 0.3, 0.3);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_follow_words() {
        assert_eq!(wrapped_lines("", 20.0), 1);
        assert_eq!(wrapped_lines("short", 20.0), 1);
        // 19 characters fit a column 20 wide; the 20th starts a new line.
        assert_eq!(wrapped_lines("aaaa bbbb cccc dddd", 20.0), 1);
        assert_eq!(wrapped_lines("aaaa bbbb cccc ddddd", 20.0), 2);
        assert_eq!(wrapped_lines(&"x".repeat(40), 11.0), 4);
        assert_eq!(wrapped_lines("one\ntwo", 20.0), 2);
        assert_eq!(row_height(3), 45.0);
    }

    #[test]
    fn ampersands_in_the_tenant_are_printed_as_they_are() {
        let p = Page {
            tenant: "a&b.com".into(),
            as_of: "2026-11-21".into(),
        };
        assert_eq!(
            p.header(),
            "&LMFA readiness: a&&b.com&C&A&Ras of 2026-11-21"
        );
        let none = Page {
            tenant: String::new(),
            as_of: "2026-11-21".into(),
        };
        assert_eq!(none.header(), "&LMFA readiness&C&A&Ras of 2026-11-21");
    }
}
