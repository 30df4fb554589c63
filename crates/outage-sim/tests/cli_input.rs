//! Bounded, honest input on the command line: files read within the page's limit whatever they
//! say their length is, a JSON error object for every failure with `--json`, the shared corpus of
//! tricky files given the verdicts in `tests/corpus/verdicts.json` (which the page's test
//! checks too), no raw control character in anything printed, and nothing resolved silently.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{fails, outage_sim};
use proptest::prelude::*;
use serde_json::Value;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("outage-sim-cli-input-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Runs it with `--json` expecting a failure: the JSON error object on stdout, and how long it
/// took.
fn json_failure(args: &[&str]) -> (Value, Duration) {
    let start = Instant::now();
    let out = outage_sim(args);
    let took = start.elapsed();
    assert!(!out.status.success(), "{args:?} should fail");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{args:?}: no JSON error object ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    assert!(v["error"].is_string(), "{v}");
    assert!(!v["problems"].as_array().unwrap().is_empty(), "{v}");
    (v, took)
}

#[test]
fn endless_devices_and_huge_files_are_refused_without_reading_them_whole() {
    for device in ["/dev/zero", "/dev/urandom"] {
        let (v, took) = json_failure(&["validate", "--json", device]);
        assert_eq!(v["valid"], false);
        assert!(
            v["problems"][0]["message"]
                .as_str()
                .unwrap()
                .contains("is more than 256 kB"),
            "{v}"
        );
        assert!(took < Duration::from_secs(5), "{device}: {took:?}");
    }
    // A 50 MB file (sparse, so the test writes nothing) is refused from its length, unread.
    let big = scratch("fifty-megabytes.json");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(50 * 1024 * 1024)
        .unwrap();
    let (v, took) = json_failure(&["validate", "--json", big.to_str().unwrap()]);
    assert!(
        v["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("(52428800 bytes); a scenario file may have at most 256 kB"),
        "{v}"
    );
    assert!(took < Duration::from_secs(5), "{took:?}");
    let (v, _) = json_failure(&["run", "--json", "--file", big.to_str().unwrap()]);
    assert!(
        v["error"].as_str().unwrap().contains("at most 256 kB"),
        "{v}"
    );
    let _ = std::fs::remove_file(big);
}

#[cfg(unix)]
#[test]
fn a_fifo_with_no_writer_does_not_block() {
    let fifo = scratch("no-writer.fifo");
    let _ = std::fs::remove_file(&fifo);
    let path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo with a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o600) }, 0);
    let (v, took) = json_failure(&["validate", "--json", fifo.to_str().unwrap()]);
    assert!(took < Duration::from_secs(5), "{took:?}");
    assert!(v["problems"][0]["message"].is_string(), "{v}");
    let (_, took) = json_failure(&["validate", "--exercise", "--json", fifo.to_str().unwrap()]);
    assert!(took < Duration::from_secs(5), "{took:?}");
    let _ = std::fs::remove_file(fifo);
}

#[test]
fn every_failure_with_json_prints_a_json_error_object() {
    let (v, _) = json_failure(&["validate", "--exercise", "--json", "/does/not/exist.json"]);
    assert_eq!(v["valid"], false);
    assert!(v["error"].as_str().unwrap().contains("cannot read"), "{v}");
    let (v, _) = json_failure(&["run", "--json", "--with", "nope"]);
    assert!(v["error"]
        .as_str()
        .unwrap()
        .contains("unknown safeguard 'nope'"));
    let (v, _) = json_failure(&["run", "--json", "--runs", "0"]);
    assert!(v["error"].as_str().unwrap().contains("runs"), "{v}");
    let (v, _) = json_failure(&["exercise", "--json", "--exercise", "/does/not/exist.json"]);
    assert!(v["error"].as_str().unwrap().contains("cannot read"), "{v}");
    let (v, _) = json_failure(&["replay", "--json", "--assume", "sites=0.5"]);
    assert!(v["error"].as_str().unwrap().contains("sites"), "{v}");
    let dir = scratch("a-directory");
    std::fs::create_dir_all(&dir).unwrap();
    let (v, _) = json_failure(&["validate", "--json", dir.to_str().unwrap()]);
    assert!(
        v["error"].as_str().unwrap().contains("is a directory"),
        "{v}"
    );
}

#[test]
fn the_corpus_of_tricky_files_gets_the_recorded_verdicts() {
    let verdicts: Value =
        serde_json::from_str(&std::fs::read_to_string(corpus().join("verdicts.json")).unwrap())
            .unwrap();
    let verdicts = verdicts.as_object().unwrap();
    let files: Vec<String> = std::fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|f| f.ends_with(".json") && f != "verdicts.json")
        .collect();
    assert_eq!(
        files.len(),
        verdicts.len(),
        "every corpus file has a verdict"
    );
    for file in files {
        let path = corpus().join(&file);
        let out = outage_sim(&["validate", "--json", path.to_str().unwrap()]);
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let expected = &verdicts[&file];
        assert_eq!(v["valid"], expected["valid"], "{file}: {v}");
        assert_eq!(v["problems"], expected["problems"], "{file}");
        assert_eq!(out.status.success(), expected["valid"] == true, "{file}");
    }
    // Both sides of the byte-order mark: accepted as UTF-8, refused as UTF-16.
    assert_eq!(verdicts["bom.json"]["valid"], true);
    assert_eq!(verdicts["utf16-bom.json"]["valid"], false);
    assert_eq!(verdicts["long-notes-256k.json"]["valid"], true);
}

#[test]
fn nothing_printed_carries_a_raw_control_character() {
    // Refused files name the field; what is printed about them is escaped.
    let esc = corpus().join("esc-title.json");
    let out = outage_sim(&["run", "--runs", "10", "--file", esc.to_str().unwrap()]);
    assert!(!out.status.success());
    for stream in [&out.stdout, &out.stderr] {
        assert!(
            !stream.contains(&0x1b),
            "{}",
            String::from_utf8_lossy(stream)
        );
    }
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("title: holds a control character (U+001B)")
    );
    // Arguments are echoed escaped.
    let out = outage_sim(&["run", "--runs", "10", "--room", "15:40=roll\u{1b}[2J_back"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains('\u{1b}'), "{err}");
    assert!(err.contains("roll\\u{1B}[2J_back"), "{err}");
    for args in [
        &["replay", "--file"][..],
        &["exercise", "--file"][..],
        &["validate"][..],
    ] {
        let mut args = args.to_vec();
        args.push(esc.to_str().unwrap());
        let out = outage_sim(&args);
        assert!(
            !out.stdout.contains(&0x1b) && !out.stderr.contains(&0x1b),
            "{args:?}"
        );
    }
}

#[test]
fn numbers_are_numbers_in_any_form_and_keys_are_given_once() {
    let file = corpus().join("numbers-in-other-forms.json");
    let v = common::json(&["validate", "--json", file.to_str().unwrap()]);
    assert_eq!(v["valid"], true);
    // On the command line too, `1e3` is a number, refused only for its value.
    let v = common::json(&[
        "run",
        "--json",
        "--runs",
        "10",
        "--assume",
        "sites=1e3",
        "--with",
        "uptime_check:interval_s=1.2e2",
    ]);
    assert_eq!(v["safeguards"][0]["params"]["interval_s"], 120.0, "{v}");
    let err = fails(&["replay", "--assume", "sites=1e9"]);
    assert!(err.contains("got 1000000000"), "{err}");
    let err = fails(&["run", "--with", "canary:detect_probability=1.0000000000001"]);
    assert!(err.contains("1.0000000000001 is out of range"), "{err}");
    let file = corpus().join("duplicate-key.json");
    let (v, _) = json_failure(&["validate", "--json", file.to_str().unwrap()]);
    assert_eq!(v["problems"][0]["path"], "title");
    assert!(v["problems"][0]["message"]
        .as_str()
        .unwrap()
        .contains("the key `title` is given more than once"));
}

#[test]
fn times_and_values_are_refused_for_what_is_wrong_with_them() {
    // A room time on another day is refused with the day, never moved to a nearby date.
    for time in [
        "9999-12-31T00:00:00Z",
        "1970-01-01T00:00:00Z",
        "2024-07-11T10:00",
    ] {
        let err = fails(&[
            "run",
            "--runs",
            "10",
            "--room",
            &format!("{time}=roll_back"),
        ]);
        assert!(err.contains("not on the incident's day"), "{time}: {err}");
        assert!(err.contains("2024-07-10, from 00:00 to 23:59 CDT"), "{err}");
    }
    let err = fails(&["run", "--runs", "10", "--room", "25:00=roll_back"]);
    assert!(err.contains("is not a time like 15:46"), "{err}");
    // The impact start on the wrong day says the day.
    let err = fails(&["replay", "--assume", "impact_start=2024-07-11T10:00"]);
    assert!(err.contains("got 2024-07-11 10:00 CDT"), "{err}");
    // A value is echoed as given, not rounded into another number.
    let err = fails(&["replay", "--assume", "slo_target=0.999999999999999"]);
    assert!(err.contains("got 0.999999999999999"), "{err}");
    // Nothing resolved silently: a repeat is refused with both values.
    let err = fails(&["replay", "--assume", "sites=40", "--assume", "sites=50"]);
    assert!(
        err.contains("--assume sites is given more than once (40, then 50)"),
        "{err}"
    );
    let err = fails(&[
        "replay",
        "--step",
        "mobilize:sigma=0.2",
        "--step",
        "mobilize:sigma=0.3",
    ]);
    assert!(
        err.contains("--step mobilize is given more than once"),
        "{err}"
    );
    let err = fails(&["run", "--with", "uptime_check:interval_s=60,interval_s=30"]);
    assert!(err.contains("(60) is used, not 30"), "{err}");
    let err = fails(&[
        "run",
        "--runs",
        "10",
        "--room",
        "15:40=page_on_call:ack_delay_s=60,ack_delay_s=90",
    ]);
    assert!(err.contains("given more than once"), "{err}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Random bytes, and the built-in file with random bytes written over it, end with a
    /// verdict (valid or a JSON error object) and never a crash, quickly.
    #[test]
    fn fuzzed_files_end_with_a_verdict(
        junk in proptest::collection::vec(any::<u8>(), 0..2_000),
        at in 0usize..17_000,
    ) {
        let mut bytes = outage_sim::scenario::BUILTIN_EPTURA.as_bytes().to_vec();
        let at = at.min(bytes.len());
        let end = (at + junk.len()).min(bytes.len());
        bytes.splice(at..end, junk.iter().copied());
        for (name, content) in [("junk.json", &junk), ("spliced.json", &bytes)] {
            let path = scratch(name);
            std::fs::write(&path, content).unwrap();
            let start = Instant::now();
            let out = outage_sim(&["validate", "--json", path.to_str().unwrap()]);
            prop_assert!(start.elapsed() < Duration::from_secs(5));
            let v: Value = serde_json::from_slice(&out.stdout).expect("a JSON verdict");
            prop_assert_eq!(v["valid"] == true, out.status.success());
            let err = String::from_utf8_lossy(&out.stderr);
            prop_assert!(!err.contains("panicked"), "{}", err);
            prop_assert!(!out.stdout.contains(&0x1b) && !out.stderr.contains(&0x1b));
        }
    }
}
