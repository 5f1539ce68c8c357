//! Turns a CSV export into a one-sheet XLSX workbook as Excel would save it (every cell a string
//! cell), streaming rows so that a million-row users export can be converted on a small machine.
//! Used by the benchmark to measure the XLSX reader's memory on large workbooks:
//!     cargo run --release --example csv_to_xlsx -- users.csv users.xlsx

use rust_xlsxwriter::Workbook;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [src, dst] = args.as_slice() else {
        eprintln!("usage: csv_to_xlsx IN.csv OUT.xlsx");
        std::process::exit(2);
    };
    let text = std::fs::read(src)?;
    let text = text.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&text);
    let mut rd = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text);
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet_with_constant_memory()?;
    ws.set_name("Users")?;
    let mut rows = 0u32;
    for rec in rd.records() {
        let rec = rec?;
        for (c, v) in rec.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(rows, c as u16, v)?;
            }
        }
        rows += 1;
    }
    wb.save(dst)?;
    eprintln!("csv_to_xlsx: {rows} rows -> {dst}");
    Ok(())
}
