//! A learner's result, as a link and as a short code, so that it travels without a server: a
//! trainer pastes either into the facilitator's console, or anyone opens the link to see that
//! learner's debrief read-only, exactly.
//!
//! **The link** is in the app's link vocabulary (after `#`, `key=value` parts joined by `&`;
//! moments and actions as the command line writes a room's decision):
//!
//! | part | meaning |
//! |---|---|
//! | `mode=result` | open a learner's debrief, read-only |
//! | `learner=NAME` | the learner's name as they typed it (optional, at most 40 characters) |
//! | `seed=N` | the seed of the Monte Carlo ranges |
//! | `predict=MIN:DETECTOR` | the prediction: minutes until someone noticed, and the safeguard that would have caught it first |
//! | `stop=HH:MM=CHOICE:CONFIDENCE` | a decision at a stop, in order (`15:46=roll_back:high`; `wait` for waiting); the moment is the stop's in the learner's day |
//! | `check=HEX` | a CRC-32 of everything before it, so that a link edited by hand is noticed |
//!
//! **The short code** (`OD1-…`) carries the same in a few bytes: a version, the seed, the
//! prediction, each decision's choice and confidence, the name, and the same kind of check,
//! in base 32 grouped by five.
//!
//! Reading either is total and happens once, at the edge: any text gives a `Result` or the list
//! of its problems, each with a reason; the decisions are then replayed (`verify`) through the
//! learner's day, so a stop at another moment, or a choice not offered there, is named.

use std::fmt;

use data_encoding::BASE32_NOPAD;
use outage_sim::time::{SimTime, SECOND};
use percent_encoding::{percent_decode_str, utf8_percent_encode, NON_ALPHANUMERIC};

use super::{
    detector_from_id, Choice, Confidence, Decision, Drill, Prediction, DETECTORS,
    MAX_PREDICT_MINUTES,
};

/// The longest name a result carries, in characters.
pub const MAX_NAME: usize = 40;
/// The longest link or code read (a full result link is a few hundred characters).
pub const MAX_TEXT: usize = 4_000;
/// The most decisions a result may hold.
pub const MAX_DECISIONS: usize = 16;
/// The short code's prefix (and version).
pub const CODE_PREFIX: &str = "OD1-";
const CODE_VERSION: u8 = 1;

/// A learner's result as it travels: what they predicted and decided, nothing computed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Result {
    pub name: String,
    pub seed: u64,
    pub prediction: Prediction,
    /// (the stop's moment as written, if the text gave it; the choice; the confidence).
    pub decisions: Vec<(Option<String>, Choice, Confidence)>,
}

/// Why a text is not a usable result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem(pub String);

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn problem(text: impl Into<String>) -> Problem {
    Problem(text.into())
}

/// A stop's moment as a link writes it: `15:46`, or `15:56:30` off the minute.
pub fn moment_text(drill: &Drill, t: SimTime) -> String {
    if t % (60 * SECOND) == 0 {
        drill.scenario.clock.hhmm_local(t)
    } else {
        drill.scenario.clock.hhmmss_local(t)
    }
}

fn checksum(text: &str) -> String {
    format!("{:08x}", crc32fast::hash(text.as_bytes()))
}

/// The name as kept: trimmed, controls dropped, at most `MAX_NAME` characters.
pub fn clean_name(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .chars()
        .take(MAX_NAME)
        .collect()
}

/// The result link's text (after `#`) of a learner's prediction and decisions.
pub fn encode_link(
    drill: &Drill,
    name: &str,
    seed: u64,
    prediction: &Prediction,
    decisions: &[Decision],
) -> String {
    let mut parts = vec!["mode=result".to_string()];
    let name = clean_name(name);
    if !name.is_empty() {
        parts.push(format!(
            "learner={}",
            utf8_percent_encode(&name, NON_ALPHANUMERIC)
        ));
    }
    parts.push(format!("seed={seed}"));
    parts.push(format!(
        "predict={}:{}",
        prediction.detect_minutes,
        prediction.first_catch.id()
    ));
    for d in decisions {
        parts.push(format!(
            "stop={}={}:{}",
            moment_text(drill, d.at),
            d.choice.id(),
            d.confidence.id()
        ));
    }
    let body = parts.join("&");
    format!("{body}&check={}", checksum(&body))
}

/// True when a text looks like a result (a link, a link's fragment, or a short code), so the
/// app can tell it from other text.
pub fn is_result(text: &str) -> bool {
    let t = text.trim();
    t.to_ascii_uppercase().starts_with(CODE_PREFIX)
        || fragment(t).split('&').any(|p| p == "mode=result")
}

/// The part after `#` of a full link, or the text itself.
fn fragment(text: &str) -> &str {
    text.split_once('#').map_or(text, |(_, f)| f)
}

/// Reads a result from a link (whole, or only its fragment) or a short code.
pub fn decode(text: &str) -> std::result::Result<Result, Vec<Problem>> {
    let text = text.trim();
    if text.is_empty() {
        return Err(vec![problem("it is empty")]);
    }
    if text.len() > MAX_TEXT {
        return Err(vec![problem(format!(
            "it is {} characters long, more than a result can be ({MAX_TEXT})",
            text.len()
        ))]);
    }
    if text.to_ascii_uppercase().starts_with(CODE_PREFIX) {
        return decode_code(text).map_err(|p| vec![p]);
    }
    decode_link(fragment(text))
}

fn decode_link(text: &str) -> std::result::Result<Result, Vec<Problem>> {
    let Some((body, check)) = text.rsplit_once("&check=") else {
        return Err(vec![problem(
            "it has no check= part: it is not a whole result link",
        )]);
    };
    if checksum(body) != check.trim().to_ascii_lowercase() {
        return Err(vec![problem(
            "its check does not match its content: the link was changed or cut after it was made",
        )]);
    }
    let mut problems = Vec::new();
    let mut mode = false;
    let (mut name, mut seed, mut prediction) = (None::<String>, None::<u64>, None::<Prediction>);
    let mut decisions = Vec::new();
    for part in body.split('&') {
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        let seen_twice = |p: &mut Vec<Problem>| p.push(problem(format!("'{key}=' is given twice")));
        match key {
            "mode" if value == "result" => mode = true,
            "mode" => problems.push(problem(format!("mode '{value}' is not a result"))),
            "learner" if name.is_some() => seen_twice(&mut problems),
            "learner" => match percent_decode_str(value).decode_utf8() {
                Ok(n) if n.chars().count() <= MAX_NAME => name = Some(clean_name(&n)),
                Ok(_) => problems.push(problem(format!(
                    "the name is longer than {MAX_NAME} characters"
                ))),
                Err(_) => problems.push(problem("the name is not text (UTF-8)")),
            },
            "seed" if seed.is_some() => seen_twice(&mut problems),
            "seed" => match value.parse::<u64>() {
                Ok(s) => seed = Some(s),
                Err(_) => problems.push(problem(format!("seed '{value}' is not a whole number"))),
            },
            "predict" if prediction.is_some() => seen_twice(&mut problems),
            "predict" => match parse_prediction(value) {
                Ok(p) => prediction = Some(p),
                Err(p) => problems.push(p),
            },
            "stop" => match parse_stop(value) {
                Ok(d) if decisions.len() < MAX_DECISIONS => decisions.push(d),
                Ok(_) => problems.push(problem(format!("more than {MAX_DECISIONS} stops"))),
                Err(p) => problems.push(p),
            },
            _ => problems.push(problem(format!(
                "'{}' is not part of a result",
                shorten(part, 40)
            ))),
        }
    }
    if !mode {
        problems.push(problem("it has no mode=result part"));
    }
    let Some(prediction) = prediction else {
        problems.push(problem("it has no prediction (predict=)"));
        return Err(problems);
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Result {
        name: name.unwrap_or_default(),
        seed: seed.unwrap_or(super::DAY_SEED),
        prediction,
        decisions,
    })
}

fn parse_prediction(value: &str) -> std::result::Result<Prediction, Problem> {
    let (minutes, detector) = value
        .split_once(':')
        .ok_or_else(|| problem(format!("prediction '{value}' is not MINUTES:DETECTOR")))?;
    let detect_minutes = minutes
        .parse::<u32>()
        .ok()
        .filter(|m| (1..=MAX_PREDICT_MINUTES).contains(m))
        .ok_or_else(|| problem(format!("predicted minutes '{minutes}' are not a whole number from 1 to {MAX_PREDICT_MINUTES}")))?;
    let first_catch = detector_from_id(detector).ok_or_else(|| {
        problem(format!(
            "'{detector}' is not a safeguard a learner can name ({})",
            DETECTORS.map(|d| d.id()).join(", ")
        ))
    })?;
    Ok(Prediction {
        detect_minutes,
        first_catch,
    })
}

fn parse_stop(value: &str) -> std::result::Result<(Option<String>, Choice, Confidence), Problem> {
    let bad = || {
        problem(format!(
            "stop '{}' is not HH:MM=CHOICE:CONFIDENCE",
            shorten(value, 40)
        ))
    };
    let (at, rest) = value.split_once('=').ok_or_else(bad)?;
    let (choice, confidence) = rest.split_once(':').ok_or_else(bad)?;
    let choice = Choice::from_id(choice).ok_or_else(|| {
        problem(format!(
            "'{choice}' is not a choice ({})",
            Choice::all().map(|c| c.id()).collect::<Vec<_>>().join(", ")
        ))
    })?;
    let confidence = Confidence::from_id(confidence).ok_or_else(|| {
        problem(format!(
            "'{confidence}' is not a confidence (low, medium, high)"
        ))
    })?;
    Ok((Some(at.to_string()), choice, confidence))
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(max).collect::<String>())
    }
}

/// The short code of a result.
pub fn encode_code(
    name: &str,
    seed: u64,
    prediction: &Prediction,
    decisions: &[Decision],
) -> String {
    let name = clean_name(name);
    let mut bytes = vec![CODE_VERSION];
    varint(&mut bytes, seed);
    varint(&mut bytes, u64::from(prediction.detect_minutes));
    bytes.push(
        DETECTORS
            .iter()
            .position(|&d| d == prediction.first_catch)
            .unwrap_or(0) as u8,
    );
    bytes.push(decisions.len().min(MAX_DECISIONS) as u8);
    for d in decisions.iter().take(MAX_DECISIONS) {
        let choice = Choice::all().position(|c| c == d.choice).unwrap_or(0) as u8;
        let confidence = Confidence::ALL
            .iter()
            .position(|&c| c == d.confidence)
            .unwrap_or(0) as u8;
        bytes.push(choice << 2 | confidence);
    }
    bytes.push(name.len() as u8);
    bytes.extend(name.as_bytes());
    let crc = crc32fast::hash(&bytes);
    bytes.extend(crc.to_be_bytes());
    let text = BASE32_NOPAD.encode(&bytes);
    let groups: Vec<&str> = text
        .as_bytes()
        .chunks(5)
        .map(|c| std::str::from_utf8(c).expect("base 32 is ASCII"))
        .collect();
    format!("{CODE_PREFIX}{}", groups.join("-"))
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn decode_code(text: &str) -> std::result::Result<Result, Problem> {
    let letters: String = text[CODE_PREFIX.len()..]
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let bytes = BASE32_NOPAD.decode(letters.as_bytes()).map_err(|_| {
        problem("the code has letters or a length no code has: was it copied whole?")
    })?;
    if bytes.len() < 5 {
        return Err(problem("the code is too short: was it copied whole?"));
    }
    let (data, crc) = bytes.split_at(bytes.len() - 4);
    if crc32fast::hash(data).to_be_bytes() != crc {
        return Err(problem(
            "the code's check does not match: a letter was changed or lost",
        ));
    }
    let mut r = Reader { data, at: 0 };
    let version = r.byte()?;
    if version != CODE_VERSION {
        return Err(problem(format!(
            "the code is of version {version}; this app reads version {CODE_VERSION}"
        )));
    }
    let seed = r.varint()?;
    let detect_minutes = u32::try_from(r.varint()?)
        .ok()
        .filter(|m| (1..=MAX_PREDICT_MINUTES).contains(m))
        .ok_or_else(|| problem("the code's predicted minutes are out of range"))?;
    let first_catch = *DETECTORS
        .get(r.byte()? as usize)
        .ok_or_else(|| problem("the code names no known safeguard"))?;
    let n = r.byte()? as usize;
    if n > MAX_DECISIONS {
        return Err(problem(format!(
            "the code holds {n} stops, more than {MAX_DECISIONS}"
        )));
    }
    let choices: Vec<Choice> = Choice::all().collect();
    let mut decisions = Vec::with_capacity(n);
    for _ in 0..n {
        let b = r.byte()?;
        let choice = *choices
            .get((b >> 2) as usize)
            .ok_or_else(|| problem("the code holds a choice this app does not know"))?;
        let confidence = *Confidence::ALL
            .get((b & 3) as usize)
            .ok_or_else(|| problem("the code holds a confidence this app does not know"))?;
        decisions.push((None, choice, confidence));
    }
    let len = r.byte()? as usize;
    let name = r.take(len)?.to_vec();
    let name = String::from_utf8(name).map_err(|_| problem("the code's name is not text"))?;
    if r.at != data.len() {
        return Err(problem("the code has bytes after its end"));
    }
    Ok(Result {
        name: clean_name(&name),
        seed,
        prediction: Prediction {
            detect_minutes,
            first_catch,
        },
        decisions,
    })
}

struct Reader<'a> {
    data: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> std::result::Result<u8, Problem> {
        let b = *self
            .data
            .get(self.at)
            .ok_or_else(|| problem("the code ends too soon"))?;
        self.at += 1;
        Ok(b)
    }

    fn take(&mut self, n: usize) -> std::result::Result<&[u8], Problem> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&e| e <= self.data.len())
            .ok_or_else(|| problem("the code ends too soon"))?;
        let out = &self.data[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn varint(&mut self) -> std::result::Result<u64, Problem> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(problem("the code holds a number too large"))
    }
}

/// A result replayed through the learner's day: the decisions at their stops.
#[derive(Clone, Debug, PartialEq)]
pub struct Verified {
    pub name: String,
    pub seed: u64,
    pub prediction: Prediction,
    pub decisions: Vec<Decision>,
}

/// Replays a result's decisions through the day: each must be at the stop the day has next
/// (at the moment the link says, when it says one) and among the choices offered there, and
/// the day must end after the last one.
pub fn verify(drill: &Drill, result: &Result) -> std::result::Result<Verified, Problem> {
    let mut decisions: Vec<Decision> = Vec::new();
    for (k, (at, choice, confidence)) in result.decisions.iter().enumerate() {
        let Some(stop) = drill.next_stop(&decisions) else {
            return Err(problem(format!(
                "it has {} stops; the day has only {k}",
                result.decisions.len()
            )));
        };
        let moment = moment_text(drill, stop.at);
        if let Some(at) = at {
            if *at != moment {
                return Err(problem(format!(
                    "stop {} is at {at} in the link, but at {moment} in the day its earlier choices make",
                    k + 1
                )));
            }
        }
        if !drill.choices(&stop, &decisions).contains(choice) {
            return Err(problem(format!(
                "at {moment}, '{}' is not one of the choices offered there",
                choice.id()
            )));
        }
        decisions.push(Decision {
            inject: stop.inject,
            at: stop.at,
            choice: *choice,
            confidence: *confidence,
        });
    }
    if let Some(stop) = drill.next_stop(&decisions) {
        return Err(problem(format!(
            "it ends before the day does: no choice at {}",
            moment_text(drill, stop.at)
        )));
    }
    Ok(Verified {
        name: result.name.clone(),
        seed: result.seed,
        prediction: result.prediction,
        decisions,
    })
}

/// Reads and replays a pasted result in one step.
pub fn read(drill: &Drill, text: &str) -> std::result::Result<Verified, Vec<Problem>> {
    let result = decode(text)?;
    verify(drill, &result).map_err(|p| vec![p])
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::learn::tests::{play, setup};
    use outage_sim::intervention::ActionId;
    use outage_sim::trace::Detector;
    use proptest::prelude::*;

    fn played(drill: &Drill, script: &[(usize, usize)]) -> Vec<Decision> {
        let mut decisions = play(drill, |k, offered| {
            offered[script[k % script.len()].0 % offered.len()]
        });
        for (d, (_, c)) in decisions.iter_mut().zip(script.iter().cycle()) {
            d.confidence = Confidence::ALL[c % 3];
        }
        decisions
    }

    const PREDICTION: Prediction = Prediction {
        detect_minutes: 25,
        first_catch: Detector::AbsentAlert,
    };

    #[test]
    fn a_link_reads_back_as_the_same_decisions() {
        let (s, e) = setup();
        let drill = Drill::new(&s, &e);
        let decisions = played(&drill, &[(0, 2), (1, 0), (3, 1)]);
        let link = encode_link(&drill, "  Ana María\u{7} ", 7, &PREDICTION, &decisions);
        assert!(
            link.starts_with(
                "mode=result&learner=Ana%20Mar%C3%ADa&seed=7&predict=25:absent_alert&stop=15:34="
            ),
            "{link}"
        );
        let back = read(&drill, &format!("https://example.org/drills/#{link}")).unwrap();
        assert_eq!(
            (back.name.as_str(), back.seed, back.prediction),
            ("Ana María", 7, PREDICTION)
        );
        assert_eq!(back.decisions, decisions);
        assert!(is_result(&link) && !is_result("with=uptime_check&seed=1"));
    }

    #[test]
    fn a_code_reads_back_as_the_same_decisions() {
        let (s, e) = setup();
        let drill = Drill::new(&s, &e);
        let decisions = played(&drill, &[(2, 2), (0, 1)]);
        let code = encode_code("Bo", 123_456, &PREDICTION, &decisions);
        assert!(code.starts_with(CODE_PREFIX) && code.len() < 60, "{code}");
        let back = read(&drill, &format!("  {}  ", code.to_lowercase())).unwrap();
        assert_eq!((back.name.as_str(), back.seed), ("Bo", 123_456));
        assert_eq!(back.decisions, decisions);
    }

    #[test]
    fn edited_links_and_codes_are_refused_with_their_reason() {
        let (s, e) = setup();
        let drill = Drill::new(&s, &e);
        let decisions = played(&drill, &[(0, 0)]);
        let link = encode_link(&drill, "Cy", 1, &PREDICTION, &decisions);
        let edited = link.replacen("stop=15:34=wait", "stop=15:34=roll_back", 1);
        let why = read(&drill, &edited).unwrap_err();
        assert!(why[0].0.contains("check does not match"), "{why:?}");
        assert!(read(&drill, &link[..link.len() - 12]).unwrap_err()[0]
            .0
            .contains("no check="));
        // A link with a consistent check but a choice not offered, or a stop at the wrong time.
        let body =
            "mode=result&seed=1&predict=25:uptime_check&stop=15:34=wait:low&stop=15:40=wait:low";
        let forged = format!("{body}&check={}", checksum(body));
        assert!(read(&drill, &forged).unwrap_err()[0]
            .0
            .contains("at 15:40 in the link, but at 15:38"));
        let short = "mode=result&seed=1&predict=25:uptime_check&stop=15:34=wait:low";
        let forged = format!("{short}&check={}", checksum(short));
        assert!(read(&drill, &forged).unwrap_err()[0]
            .0
            .contains("ends before the day does"));
        let code = encode_code("Cy", 1, &PREDICTION, &decisions);
        let mut chars: Vec<char> = code.chars().collect();
        let i = chars.len() - 3;
        chars[i] = if chars[i] == 'A' { 'B' } else { 'A' };
        let tampered: String = chars.into_iter().collect();
        assert!(read(&drill, &tampered).is_err());
        assert!(decode("").unwrap_err()[0].0.contains("empty"));
        assert!(decode(&"x".repeat(MAX_TEXT + 1)).unwrap_err()[0]
            .0
            .contains("more than"));
        let _ = ActionId::RollBack;
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
        /// Round trip: any played day, any name, any seed.
        #[test]
        fn every_result_round_trips(script in prop::collection::vec((0usize..6, 0usize..3), 1..7), name in "\\PC{0,50}", seed in any::<u64>(), minutes in 1u32..=MAX_PREDICT_MINUTES, det in 0usize..5) {
            let (s, e) = setup();
            let drill = Drill::new(&s, &e);
            let decisions = played(&drill, &script);
            let prediction = Prediction { detect_minutes: minutes, first_catch: DETECTORS[det] };
            for text in [encode_link(&drill, &name, seed, &prediction, &decisions), encode_code(&name, seed, &prediction, &decisions)] {
                let back = read(&drill, &text).unwrap();
                prop_assert_eq!(&back.decisions, &decisions);
                prop_assert_eq!(back.prediction, prediction);
                prop_assert_eq!(back.seed, seed);
                prop_assert_eq!(back.name, clean_name(&name));
            }
        }

        /// Fuzzed texts never panic and are refused with a reason (or, rarely, read as a result).
        #[test]
        fn fuzzed_texts_are_refused_with_a_reason(text in "\\PC{0,300}", cut in 0usize..400, flip in 0usize..400) {
            let (s, e) = setup();
            let drill = Drill::new(&s, &e);
            if let Err(problems) = read(&drill, &text) {
                prop_assert!(!problems.is_empty() && problems.iter().all(|p| !p.0.is_empty()));
            }
            // A real link or code, cut or with one character changed.
            let decisions = played(&drill, &[(1, 1)]);
            for real in [encode_link(&drill, "Di", 3, &PREDICTION, &decisions), encode_code("Di", 3, &PREDICTION, &decisions)] {
                let mut chars: Vec<char> = real.chars().collect();
                let i = flip % chars.len();
                chars[i] = if chars[i] == 'Z' { 'Y' } else { 'Z' };
                let changed: String = chars.into_iter().collect();
                let cut_text: String = real.chars().take(cut % real.len()).collect();
                for bad in [changed, cut_text] {
                    if bad != real {
                        match read(&drill, &bad) {
                            Err(problems) => prop_assert!(!problems.is_empty()),
                            Ok(v) => prop_assert!(v.decisions == decisions, "a changed text read as other decisions"),
                        }
                    }
                }
            }
        }
    }
}
