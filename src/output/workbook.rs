//! mfa-readiness.xlsx, rendered with rust_xlsxwriter from the report only.

use crate::Error;
use crate::report::Report;

/// Renders the workbook into memory (written atomically by the caller).
pub fn render(report: &Report) -> Result<Vec<u8>, Error> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let err = |e: rust_xlsxwriter::XlsxError| Error::Output {
        path: "mfa-readiness.xlsx".into(),
        source: std::io::Error::other(e.to_string()),
    };
    ws.set_name("Summary").map_err(err)?;
    ws.write_string(0, 0, "In scope").map_err(err)?;
    ws.write_number(0, 1, report.summary.population.in_scope as f64)
        .map_err(err)?;
    wb.save_to_buffer().map_err(err)
}
