//! Custom hooks: each owns one browser-facing concern and hands back a value or a handle with
//! domain verbs.

pub mod clock;
pub mod media;
pub mod persist;
pub mod playback;
pub mod sensitivity;
pub mod shortcuts;
pub mod width;

pub use clock::use_wall_clock;
pub use media::{use_media_query, PHONE};
pub use playback::use_playback;
pub use width::{use_size, use_width};

/// Milliseconds from the page's time origin (`performance.now()`); 0 where unavailable.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}
