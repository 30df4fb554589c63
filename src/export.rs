//! Charts as SVG and PNG downloads (text files go through `download`).
//!
//! A chart on the page takes its look from the stylesheet, which a downloaded SVG does not
//! have; so the SVG is copied with each element's computed look written as SVG presentation
//! attributes (`fill`, `stroke`, `font-size`…) — attributes, not `style`, which the page's
//! content security policy would refuse — on a background of the chart's card. The PNG is that
//! SVG drawn onto a canvas that is never attached to the page, at twice the size for sharpness:
//! the SVG goes in as a `data:` image, which the policy's `img-src 'self' data:` allows, and
//! holds no script or foreign content, so the canvas stays readable.

use wasm_bindgen::prelude::*;
use web_sys::{Blob, Element, HtmlAnchorElement, HtmlCanvasElement};

/// The look of each element that a copy outside the page must carry itself.
const PROPERTIES: [&str; 14] = [
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "stroke-opacity",
    "stroke-linecap",
    "opacity",
    "font-family",
    "font-size",
    "font-weight",
    "font-variant-numeric",
    "paint-order",
    "visibility",
];

/// Starts a download of `blob` under `name` (an `<a download>` click on a blob URL).
fn download_blob(blob: &Blob, name: &str) -> Result<(), JsValue> {
    let url = web_sys::Url::create_object_url_with_blob(blob)?;
    let document = gloo::utils::document();
    let a: HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.set_hidden(true);
    document.body().ok_or("no body")?.append_child(&a)?;
    a.click();
    a.remove();
    // The download has the data by the time the click returns; the URL can go after it.
    gloo::timers::callback::Timeout::new(10_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}

/// The first non-transparent background behind `element`, for the chart's own background.
fn background(element: &Element) -> String {
    let window = gloo::utils::window();
    let mut at = Some(element.clone());
    while let Some(e) = at {
        if let Ok(Some(style)) = window.get_computed_style(&e) {
            let bg = style
                .get_property_value("background-color")
                .unwrap_or_default();
            if !bg.is_empty() && bg != "transparent" && bg != "rgba(0, 0, 0, 0)" {
                return bg;
            }
        }
        at = e.parent_element();
    }
    "#ffffff".into()
}

/// A standalone copy of the SVG `svg` (as drawn now): the computed look of every element as
/// presentation attributes, a background, and its size. Returns the markup, width and height.
pub fn svg_markup(svg: &Element) -> Result<(String, f64, f64), JsValue> {
    let window = gloo::utils::window();
    let copy: Element = svg.clone_node_with_deep(true)?.unchecked_into();
    copy.set_attribute("xmlns", "http://www.w3.org/2000/svg")?;
    let originals = svg.query_selector_all("*")?;
    let copies = copy.query_selector_all("*")?;
    let carry = |from: &Element, to: &Element| -> Result<(), JsValue> {
        if let Some(style) = window.get_computed_style(from)? {
            for property in PROPERTIES {
                let value = style.get_property_value(property)?;
                if !value.is_empty() {
                    to.set_attribute(property, &value)?;
                }
            }
            if style.get_property_value("display")? == "none" {
                to.set_attribute("display", "none")?;
            }
        }
        Ok(())
    };
    carry(svg, &copy)?;
    for i in 0..originals.length().min(copies.length()) {
        if let (Some(from), Some(to)) = (originals.item(i), copies.item(i)) {
            carry(from.unchecked_ref(), to.unchecked_ref())?;
        }
    }
    let rect = svg.get_bounding_client_rect();
    let (width, height) = (rect.width().max(1.0), rect.height().max(1.0));
    let document = gloo::utils::document();
    let bg = document.create_element_ns(Some("http://www.w3.org/2000/svg"), "rect")?;
    bg.set_attribute("width", "100%")?;
    bg.set_attribute("height", "100%")?;
    bg.set_attribute("fill", &background(svg))?;
    copy.insert_before(&bg, copy.first_child().as_ref())?;
    copy.set_attribute("width", &crate::charts::px(width))?;
    copy.set_attribute("height", &crate::charts::px(height))?;
    let markup = web_sys::XmlSerializer::new()?.serialize_to_string(&copy)?;
    Ok((
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{markup}\n"),
        width,
        height,
    ))
}

/// Downloads the chart `svg` as an SVG file named after `title`.
pub fn download_svg(svg: &Element, title: &str) -> Result<(), JsValue> {
    let (markup, _, _) = svg_markup(svg)?;
    crate::download::download_text(
        &crate::download::file_name(title, "", "svg"),
        "image/svg+xml;charset=utf-8",
        &markup,
    )
    .map_err(|why| JsValue::from_str(&why))
}

/// Downloads the chart `svg` as a PNG file named after `title`, drawn at twice its size.
pub async fn download_png(svg: Element, title: String) -> Result<(), JsValue> {
    const SCALE: f64 = 2.0;
    let (markup, width, height) = svg_markup(&svg)?;
    let image = web_sys::HtmlImageElement::new()?;
    image.set_src(&format!(
        "data:image/svg+xml;charset=utf-8,{}",
        js_sys::encode_uri_component(&markup)
    ));
    wasm_bindgen_futures::JsFuture::from(image.decode()).await?;
    let canvas: HtmlCanvasElement = gloo::utils::document()
        .create_element("canvas")?
        .unchecked_into();
    canvas.set_width((width * SCALE).ceil() as u32);
    canvas.set_height((height * SCALE).ceil() as u32);
    let context: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")?
        .ok_or("no 2d canvas")?
        .unchecked_into();
    context.scale(SCALE, SCALE)?;
    context.draw_image_with_html_image_element_and_dw_and_dh(&image, 0.0, 0.0, width, height)?;
    // `toBlob` calls back with the image (or null): as a promise.
    let made = js_sys::Promise::new(&mut |resolve, _reject| {
        let _ = canvas.to_blob_with_type(&resolve, "image/png");
    });
    let blob: Blob = wasm_bindgen_futures::JsFuture::from(made)
        .await?
        .dyn_into()
        .map_err(|_| JsValue::from_str("the canvas gave no image"))?;
    download_blob(&blob, &crate::download::file_name(&title, "", "png"))
}
