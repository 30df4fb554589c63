//! The app's version as its hand-outs name it (CSV heads, chart captions): the crate's version
//! and the build's id. The id is the hash Trunk gives the app's wasm file, which `index.html`
//! names in its `#app-entry` script; a development build without one says `dev`.

/// The build's id: the app's wasm file's hash (`1a2b3c4d…`), or `dev`.
pub fn build_id() -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app-entry"))
        .and_then(|e| e.text_content())
        .and_then(|text| hash_of(&text).map(str::to_string))
        .unwrap_or_else(|| "dev".to_string())
}

/// The hash in `"wasm": "outage-drill-<hash>_bg.wasm"`.
fn hash_of(entry: &str) -> Option<&str> {
    let end = entry.find("_bg.wasm")?;
    let start = entry[..end].rfind('-')? + 1;
    Some(&entry[start..end])
}

/// `0.1.0 (build 1a2b3c4d5e6f)`: the crate's version and a short form of the build's id.
pub fn app_version() -> String {
    let id = build_id();
    let short: String = id.chars().take(12).collect();
    format!("{} (build {short})", env!("CARGO_PKG_VERSION"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_build_id_is_the_wasm_files_hash() {
        assert_eq!(
            hash_of(r#"{"wasm": "outage-drill-9f2c01ab_bg.wasm"}"#),
            Some("9f2c01ab")
        );
        assert_eq!(hash_of("no wasm here"), None);
    }
}
