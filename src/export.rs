//! Charts as SVG and PNG downloads that explain themselves (text files go through `download`).
//!
//! A downloaded chart is framed (`charts::frame`): its title above, a caption line under it
//! (scenario, seed, runs, the date, the app's version), and `<title>` and `<desc>` for readers
//! that cannot see it; the axes' titles and the legend are in the chart itself. A chart on the
//! page takes its look from the stylesheet, which a downloaded SVG does not have; so the chart
//! is copied with each element's computed look written as SVG presentation attributes (`fill`,
//! `stroke`, `font-size`…) — attributes, not `style`, which the page's content security policy
//! would refuse — on a background of the chart's card. A PNG is that SVG drawn onto a canvas
//! that is never attached to the page: at twice its size for sharpness, or at 1920 × 1080 for a
//! slide (from a copy laid out for 16:9). The SVG goes in as a `data:` image, which the policy's
//! `img-src 'self' data:` allows, and holds no script or foreign content, so the canvas stays
//! readable.

use wasm_bindgen::prelude::*;
use web_sys::{Blob, Element, HtmlAnchorElement, HtmlCanvasElement};

use crate::charts::frame;

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

/// What a downloaded chart says about itself: a title above it, a caption line under it, and
/// a description for its `<desc>` (what it shows, for a screen reader or a search).
#[derive(Clone, Debug, PartialEq)]
pub struct Framed {
    pub title: String,
    pub caption: String,
    pub description: String,
}

/// The size of a download: the chart as on the page, or laid out for a 16:9 slide.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Size {
    Page,
    Slide,
}

const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// A copy of the chart `svg` as drawn now, standing alone: the computed look of every element
/// as presentation attributes, and its size. Returns the copy, its width and height.
fn styled_copy(svg: &Element) -> Result<(Element, f64, f64), JsValue> {
    let window = gloo::utils::window();
    let copy: Element = svg.clone_node_with_deep(true)?.unchecked_into();
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
    // The page's own attributes that mean nothing outside it.
    for attribute in ["class", "role", "aria-label"] {
        copy.remove_attribute(attribute)?;
    }
    // Charts are laid out in real pixels: their size is their width and height attributes.
    let rect = svg.get_bounding_client_rect();
    let size = |name: &str, measured: f64| {
        svg.get_attribute(name)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(measured)
            .max(1.0)
    };
    let (width, height) = (size("width", rect.width()), size("height", rect.height()));
    copy.set_attribute("width", &crate::charts::px(width))?;
    copy.set_attribute("height", &crate::charts::px(height))?;
    Ok((copy, width, height))
}

/// A computed style property of `element`, or `fallback`.
fn computed(element: &Element, property: &str, fallback: &str) -> String {
    gloo::utils::window()
        .get_computed_style(element)
        .ok()
        .flatten()
        .and_then(|s| s.get_property_value(property).ok())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| fallback.to_string())
}

/// A standalone SVG document of the chart `svg` (as drawn now) in its frame: `<title>` and
/// `<desc>`, the chart's background, the title above, the chart with its look carried as
/// presentation attributes (the content security policy refuses `style` attributes), and the
/// caption line under it. A slide is 16:9 (960 × 540 units; wider if the frame is taller).
/// Returns the markup, width and height.
pub fn svg_markup(
    svg: &Element,
    framed: &Framed,
    size: Size,
) -> Result<(String, f64, f64), JsValue> {
    let (chart, width, height) = styled_copy(svg)?;
    let kind = match size {
        Size::Page => frame::PAGE_TYPE,
        Size::Slide => frame::SLIDE_TYPE,
    };
    let f = frame::frame(width, height, &framed.title, &framed.caption, kind);
    let (outer_w, outer_h, dx) = match size {
        Size::Page => (f.width, f.height, 0.0),
        Size::Slide => {
            let h = f.height.max(frame::SLIDE.1);
            let w = (h * 16.0 / 9.0).max(f.width);
            (w, h, (w - f.width) / 2.0)
        }
    };
    let document = gloo::utils::document();
    let make = |name: &str| document.create_element_ns(Some(SVG_NS), name);
    let px = crate::charts::px;
    let root = make("svg")?;
    root.set_attribute("xmlns", SVG_NS)?;
    root.set_attribute("width", &px(outer_w))?;
    root.set_attribute("height", &px(outer_h))?;
    root.set_attribute("viewBox", &format!("0 0 {} {}", px(outer_w), px(outer_h)))?;
    let title = make("title")?;
    title.set_text_content(Some(&framed.title));
    root.append_child(&title)?;
    let desc = make("desc")?;
    desc.set_text_content(Some(&format!("{}. {}", framed.description, framed.caption)));
    root.append_child(&desc)?;
    let bg = make("rect")?;
    bg.set_attribute("width", "100%")?;
    bg.set_attribute("height", "100%")?;
    bg.set_attribute("fill", &background(svg))?;
    root.append_child(&bg)?;
    let body = make("g")?;
    body.set_attribute("transform", &format!("translate({} 0)", px(dx)))?;
    root.append_child(&body)?;
    let font = computed(svg, "font-family", "sans-serif");
    let ink = computed(svg, "color", "#17171c");
    let muted = svg
        .query_selector(".axis-title")?
        .map(|t| computed(&t, "fill", &ink))
        .unwrap_or_else(|| ink.clone());
    let line =
        |text: &str, y: f64, size: f64, weight: &str, fill: &str| -> Result<Element, JsValue> {
            let t = make("text")?;
            t.set_attribute("x", &px(f.x))?;
            t.set_attribute("y", &px(y))?;
            t.set_attribute("font-family", &font)?;
            t.set_attribute("font-size", &px(size))?;
            t.set_attribute("font-weight", weight)?;
            t.set_attribute("fill", fill)?;
            t.set_text_content(Some(text));
            Ok(t)
        };
    for l in &f.title {
        let t = line(&l.text, l.y, kind.title_px, "700", &ink)?;
        body.append_child(&t)?;
    }
    chart.set_attribute("x", "0")?;
    chart.set_attribute("y", &px(f.chart_y))?;
    body.append_child(&chart)?;
    for l in &f.caption {
        let t = line(&l.text, l.y, kind.caption_px, "400", &muted)?;
        t.set_attribute("class", "caption")?;
        body.append_child(&t)?;
    }
    let markup = web_sys::XmlSerializer::new()?.serialize_to_string(&root)?;
    Ok((
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{markup}\n"),
        outer_w,
        outer_h,
    ))
}

/// Downloads the chart `svg` in its frame as an SVG file named after `name`.
pub fn download_svg(svg: &Element, name: &str, framed: &Framed) -> Result<(), JsValue> {
    let (markup, _, _) = svg_markup(svg, framed, Size::Page)?;
    crate::download::download_text(
        &crate::download::file_name(name, "", "svg"),
        "image/svg+xml;charset=utf-8",
        &markup,
    )
    .map_err(|why| JsValue::from_str(&why))
}

/// Downloads the chart `svg` in its frame as a PNG file named after `name`: twice the size it
/// has on the page, or a 1920 × 1080 slide. The chart is read at once (it may leave the page
/// before the image is made); the returned future makes and saves the image.
pub fn download_png(
    svg: &Element,
    name: String,
    framed: &Framed,
    size: Size,
) -> Result<impl std::future::Future<Output = Result<(), JsValue>>, JsValue> {
    let (markup, width, height) = svg_markup(svg, framed, size)?;
    Ok(save_png(markup, width, height, name, size))
}

/// Draws the framed chart's `markup` onto a canvas and saves it as a PNG.
async fn save_png(
    markup: String,
    width: f64,
    height: f64,
    name: String,
    size: Size,
) -> Result<(), JsValue> {
    let (canvas_w, canvas_h) = match size {
        Size::Page => (
            (width * frame::PNG_SCALE).ceil(),
            (height * frame::PNG_SCALE).ceil(),
        ),
        Size::Slide => (
            frame::SLIDE.0 * frame::PNG_SCALE,
            frame::SLIDE.1 * frame::PNG_SCALE,
        ),
    };
    let image = web_sys::HtmlImageElement::new()?;
    image.set_src(&format!(
        "data:image/svg+xml;charset=utf-8,{}",
        js_sys::encode_uri_component(&markup)
    ));
    wasm_bindgen_futures::JsFuture::from(image.decode()).await?;
    let canvas: HtmlCanvasElement = gloo::utils::document()
        .create_element("canvas")?
        .unchecked_into();
    canvas.set_width(canvas_w as u32);
    canvas.set_height(canvas_h as u32);
    let context: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")?
        .ok_or("no 2d canvas")?
        .unchecked_into();
    context
        .draw_image_with_html_image_element_and_dw_and_dh(&image, 0.0, 0.0, canvas_w, canvas_h)?;
    // `toBlob` calls back with the image (or null): as a promise.
    let made = js_sys::Promise::new(&mut |resolve, _reject| {
        let _ = canvas.to_blob_with_type(&resolve, "image/png");
    });
    let blob: Blob = wasm_bindgen_futures::JsFuture::from(made)
        .await?
        .dyn_into()
        .map_err(|_| JsValue::from_str("the canvas gave no image"))?;
    download_blob(&blob, &crate::download::file_name(&name, "", "png"))
}
