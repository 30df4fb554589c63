//! Files made in the browser and handed to the user as downloads (a report, a table): a `Blob`,
//! an object URL and a link with `download`, clicked; nothing leaves the machine.

use wasm_bindgen::JsCast;

/// Offers `text` as a file named `name` of type `mime`; the error says why it could not be.
pub fn download_text(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "the browser could not make the file".to_string())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "the browser could not make the file's address".to_string())?;
    let document = gloo::utils::document();
    let link: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| "the browser could not make a link".to_string())?
        .unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.set_hidden(true);
    if let Some(body) = document.body() {
        let _ = body.append_child(&link);
        link.click();
        let _ = body.remove_child(&link);
    }
    // The download has started from the address; it is no longer needed.
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// A file name from a title and an extension: `calendar-drill-2026-11-30.md`.
pub fn file_name(title: &str, date: &str, extension: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    let slug = if slug.is_empty() {
        "outage-drill"
    } else {
        slug
    };
    let slug: String = slug.chars().take(60).collect();
    if date.trim().is_empty() {
        format!("{slug}.{extension}")
    } else {
        format!("{slug}-{}.{extension}", date.trim())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_plain() {
        assert_eq!(
            file_name("Calendar drill!", "2026-11-30", "md"),
            "calendar-drill-2026-11-30.md"
        );
        assert_eq!(file_name("  <img src=x> ", "", "json"), "img-src-x.json");
        assert_eq!(file_name("", "", "md"), "outage-drill.md");
    }
}
