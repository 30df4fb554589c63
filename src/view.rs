//! What the main page shares with the analysis module (ranges, compare, the record): the
//! assumed impact start, the safeguards and the seed, as a small query-style text
//! (`impact=52440000&seed=1&with=uptime_check:interval_s=30&with=auto_page`).
//!
//! The main page publishes it on `window` (`__outageDrillView`) and announces each change with
//! a `outage-drill:view` event; the analysis module, loaded after the main page is interactive,
//! reads it on start and follows the events. Text keeps the two wasm modules independent, and
//! decoding validates everything, so a bad value is reported and never applied.

use outage_sim::safeguards::Config;
use outage_sim::scenario::Scenario;
use outage_sim::time::SimTime;

/// The name of the event announcing a new view.
pub const VIEW_EVENT: &str = "outage-drill:view";
/// The `window` property holding the latest view.
pub const VIEW_PROPERTY: &str = "__outageDrillView";

#[derive(Clone, Debug, PartialEq)]
pub struct View {
    pub impact_start: SimTime,
    pub config: Config,
    pub seed: u64,
}

impl View {
    pub fn encode(&self) -> String {
        let mut out = format!("impact={}&seed={}", self.impact_start, self.seed);
        for spec in self.config.to_specs() {
            out.push_str("&with=");
            out.push_str(&spec);
        }
        out
    }

    /// Parses an encoded view; the error names the part that is wrong.
    pub fn decode(text: &str) -> Result<View, String> {
        let mut impact = None;
        let mut seed = None;
        let mut with = Vec::new();
        for part in text.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| format!("'{part}' is not key=value"))?;
            match key {
                "impact" => {
                    impact =
                        Some(value.parse::<SimTime>().map_err(|_| {
                            format!("impact '{value}' is not a time in milliseconds")
                        })?)
                }
                "seed" => {
                    seed = Some(
                        value
                            .parse::<u64>()
                            .map_err(|_| format!("seed '{value}' is not a whole number"))?,
                    )
                }
                "with" => with.push(value.to_string()),
                other => return Err(format!("unknown key '{other}'")),
            }
        }
        Ok(View {
            impact_start: impact.ok_or("missing impact")?,
            seed: seed.ok_or("missing seed")?,
            config: Config::from_specs(&with).map_err(|e| e.to_string())?,
        })
    }

    /// The scenario with this view's assumptions.
    pub fn scenario(&self, base: &Scenario) -> Result<Scenario, String> {
        let mut s = base.clone();
        s.set_impact_start(self.impact_start)
            .map_err(|e| e.to_string())?;
        Ok(s)
    }
}

/// Publishes the view for the analysis module.
pub fn publish(view: &View) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let text = wasm_bindgen::JsValue::from_str(&view.encode());
    let _ = js_sys::Reflect::set(&window, &VIEW_PROPERTY.into(), &text);
    if let Ok(event) = web_sys::Event::new(VIEW_EVENT) {
        let _ = window.dispatch_event(&event);
    }
}

/// The latest published view, as text.
pub fn latest() -> Option<String> {
    let window = web_sys::window()?;
    js_sys::Reflect::get(&window, &VIEW_PROPERTY.into())
        .ok()?
        .as_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_round_trip_and_bad_ones_say_why() {
        let view = View {
            impact_start: 52_440_000,
            seed: 7,
            config: Config::from_specs(&["uptime_check:interval_s=30", "auto_page"]).unwrap(),
        };
        assert_eq!(View::decode(&view.encode()), Ok(view));
        assert!(View::decode("impact=1&seed=x")
            .unwrap_err()
            .contains("seed"));
        assert!(View::decode("impact=1&seed=1&with=nope")
            .unwrap_err()
            .contains("unknown safeguard 'nope'"));
        assert!(View::decode("seed=1").unwrap_err().contains("impact"));
        assert!(View::decode("impact=1&seed=1&colour=red")
            .unwrap_err()
            .contains("colour"));
    }
}
