//! The workbook's Coverage sheet (only when policies were given): counts per coverage value with
//! a native column chart, then one row per account with the policies that decide its coverage.

use rust_xlsxwriter::{Chart, ChartType, Format, Worksheet, XlsxError};

use crate::coverage::Coverage;
use crate::report::Report;

const NAME: &str = "Coverage";

/// Builds the sheet in its own function so per-sheet page setup can be added to it.
pub fn coverage_sheet(report: &Report) -> Result<Option<Worksheet>, XlsxError> {
    let Some(rows) = report.coverage.as_ref() else {
        return Ok(None);
    };
    let bold = Format::new().set_bold();
    let mut ws = Worksheet::new();
    ws.set_name(NAME)?;
    ws.write_string_with_format(0, 0, "Coverage", &bold)?;
    ws.write_string_with_format(0, 1, "Accounts", &bold)?;
    let all = [
        Coverage::Enforced,
        Coverage::Partial,
        Coverage::Unknown,
        Coverage::None,
    ];
    for (i, c) in all.iter().enumerate() {
        let n = rows.iter().filter(|r| r.verdict.coverage == *c).count();
        ws.write_string(1 + i as u32, 0, c.as_str())?;
        ws.write_number(1 + i as u32, 1, n as f64)?;
    }
    let mut chart = Chart::new(ChartType::Column);
    chart.title().set_name("Conditional Access MFA coverage");
    chart
        .add_series()
        .set_name("Accounts")
        .set_categories((NAME, 1, 0, 4, 0))
        .set_values((NAME, 1, 1, 4, 1));
    ws.insert_chart(0, 4, &chart)?;
    let first = 22u32;
    for (c, h) in crate::coverage_tenant::HEADER.iter().enumerate() {
        ws.write_string_with_format(first, c as u16, *h, &bold)?;
    }
    let body = crate::coverage_tenant::csv_bytes(rows);
    let mut rdr = csv::Reader::from_reader(body.as_slice());
    for (i, rec) in rdr.records().enumerate() {
        let Ok(rec) = rec else { continue };
        for (c, v) in rec.iter().enumerate() {
            ws.write_string(first + 1 + i as u32, c as u16, v)?;
        }
    }
    Ok(Some(ws))
}
