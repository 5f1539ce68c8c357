//! Small text files (JSON exports) decoded from whatever encoding PowerShell or a browser wrote.

/// Decodes a small text file (JSON) from UTF-8/UTF-16 with BOM or Windows-1252.
pub fn decode_text(data: &[u8]) -> String {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(data) {
        return enc.decode_without_bom_handling(&data[bom..]).0.into_owned();
    }
    match std::str::from_utf8(data) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(data).0.into_owned(),
    }
}
