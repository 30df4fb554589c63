//! The one reader of everything the project takes in as JSON: scenario files, exercise files,
//! what the browser keeps (the saved envelopes) and any other document. The command line, the
//! page and the worker all call it with the file's bytes, so they accept and refuse exactly the
//! same bytes, with the same words:
//!
//! 1. **Bytes to text** (`text`): refused over the kind's size limit before anything else; a
//!    UTF-8 byte-order mark is skipped (RFC 8259 lets a reader ignore it), a UTF-16 one is
//!    refused; bytes that are not UTF-8 are refused with their line and column.
//! 2. **Text to a tree** (`parse`): serde_json's parser, building the tree itself so that a key
//!    given twice in one object is an error naming the key and its path (serde_json would keep
//!    the last silently), and every number, written `1000`, `1e3` or `1000.0`, is a number.
//! 3. **The tree to typed values** (`Reader`): fields read by name with their JSON path; a
//!    missing or unknown field, a wrong type, a text too long or holding a control character
//!    (`control_character`), a whole number that is not whole: every problem is collected with
//!    its path, not only the first.
//!
//! Text that is kept as typed (a room's decisions, notes) is not refused for its control
//! characters; it is shown through `visible`, which escapes them, wherever it is printed.
//!
//! Pure: no IO, no clock. It runs natively and in wasm (page or worker) alike.

mod reader;
mod tree;

use std::borrow::Cow;

use serde::Serialize;
use serde_json::Value;

pub use reader::{child, slug_problem, Obj, Reader};

/// One thing wrong with an input.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Problem {
    /// Where: `(file)` for the whole input, else a JSON path such as `record[3].at`.
    pub path: String,
    /// The rule, in words.
    pub message: String,
}

impl Problem {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            path: path.into(),
            message: message.into(),
        }
    }

    /// A problem of the whole input.
    pub fn file(message: impl Into<String>) -> Problem {
        Problem::new(FILE_PATH, message)
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// The path of a problem of the whole input.
pub const FILE_PATH: &str = "(file)";

/// Why an input was refused.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum InputError {
    /// Not JSON (or not text): where reading stopped.
    #[error("{path}: {message} (line {line}, column {column})")]
    Syntax {
        path: String,
        message: String,
        line: usize,
        column: usize,
    },
    /// Well-formed, but breaking rules: every problem found.
    #[error("{} problem(s): {}", .0.len(), .0.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<Problem>),
}

impl InputError {
    /// Every problem as (path, message).
    pub fn problems(&self) -> Vec<Problem> {
        match self {
            InputError::Syntax {
                path,
                message,
                line,
                column,
            } => vec![Problem {
                path: path.clone(),
                message: format!("{message} (line {line}, column {column})"),
            }],
            InputError::Invalid(problems) => problems.clone(),
        }
    }

    fn one(problem: Problem) -> InputError {
        InputError::Invalid(vec![problem])
    }
}

/// A kind of input: what it is called in messages and the most bytes it may have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Kind {
    /// With its article, for messages: "a scenario file".
    pub what: &'static str,
    pub max_bytes: usize,
}

/// A scenario file.
pub const SCENARIO_FILE: Kind = Kind {
    what: "a scenario file",
    max_bytes: crate::limits::MAX_FILE_BYTES,
};

/// An exercise file.
pub const EXERCISE_FILE: Kind = Kind {
    what: "an exercise file",
    max_bytes: crate::limits::MAX_FILE_BYTES,
};

/// The UTF-8 byte-order mark some editors write at the start of a file.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// `bytes` over the kind's limit, said before reading it: `is 300 kB (307200 bytes); a scenario
/// file may have at most 256 kB (262144 bytes)`.
pub fn too_large(kind: Kind, bytes: u64) -> Problem {
    Problem::file(format!(
        "is {} kB ({bytes} bytes); {} may have at most {} kB ({} bytes), so it was not read",
        bytes.div_ceil(1024),
        kind.what,
        kind.max_bytes / 1024,
        kind.max_bytes
    ))
}

/// The text of an input's bytes (see the module's doc), or why it is not text this reader reads.
pub fn text(bytes: &[u8], kind: Kind) -> Result<&str, InputError> {
    if bytes.len() > kind.max_bytes {
        return Err(InputError::one(too_large(kind, bytes.len() as u64)));
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(InputError::Syntax {
            path: FILE_PATH.into(),
            message: "is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8".into(),
            line: 1,
            column: 1,
        });
    }
    let body = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    std::str::from_utf8(body).map_err(|e| {
        let at = e.valid_up_to();
        let before = &body[..at];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        // Characters, not bytes, from the line's start (what an editor shows).
        let column = std::str::from_utf8(&before[line_start..]).map_or(1, |s| s.chars().count() + 1);
        InputError::Syntax {
            path: FILE_PATH.into(),
            message: format!(
                "byte 0x{:02X} is not UTF-8 (was the file saved as Latin-1 or Windows-1252? save it as UTF-8)",
                body[at]
            ),
            line,
            column,
        }
    })
}

/// The JSON tree of an input's bytes: `text`, then the JSON with every key given twice named.
pub fn parse(bytes: &[u8], kind: Kind) -> Result<Value, InputError> {
    let text = text(bytes, kind)?;
    if text.trim().is_empty() {
        return Err(InputError::one(Problem::file(format!(
            "is empty; {} is a JSON object",
            kind.what
        ))));
    }
    tree::parse(text)
}

/// Whether a character is refused in a file's text and escaped wherever kept text is shown:
/// C0 controls except tab and line feed, DEL, C1 controls, and the bidirectional embeddings,
/// overrides and isolates that can make text read backwards.
pub fn is_hostile(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The first hostile character of a text, described with its position, or `None`: `holds a
/// control character (U+001B) at character 5; text may not hold control characters or
/// bidirectional overrides`.
pub fn control_character(text: &str) -> Option<String> {
    let (i, c) = text.chars().enumerate().find(|&(_, c)| is_hostile(c))?;
    let what = if matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') {
        "a bidirectional override"
    } else {
        "a control character"
    };
    Some(format!(
        "holds {what} (U+{:04X}) at character {}; text may not hold control characters or bidirectional overrides",
        c as u32,
        i + 1
    ))
}

/// Text as typed, with every hostile character (`is_hostile`) written as a visible escape
/// (`\u{1B}`), so it cannot move a terminal's cursor, set its title or turn text around; tab and
/// line feed stay. Everything else is unchanged (and not copied).
pub fn visible(text: &str) -> Cow<'_, str> {
    escape_hostile(text, |c| format!("\\u{{{:X}}}", c as u32))
}

/// JSON text (as serde_json writes it) with every hostile character written as a JSON escape
/// (`\u202e`): the same data once parsed, but nothing in the file can turn its text around or
/// drive a terminal. serde_json escapes C0 controls itself; DEL, C1 and bidirectional
/// overrides, which it writes raw, can only stand inside strings, where `\uXXXX` means them.
pub fn json_visible(json: &str) -> Cow<'_, str> {
    escape_hostile(json, |c| format!("\\u{:04x}", c as u32))
}

/// `text` with every hostile character replaced by `escape(c)`; borrowed when there is none.
fn escape_hostile(text: &str, escape: impl Fn(char) -> String) -> Cow<'_, str> {
    if !text.chars().any(is_hostile) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_hostile(c) {
            out.push_str(&escape(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KIND: Kind = Kind {
        what: "a test file",
        max_bytes: 64,
    };

    #[test]
    fn bytes_become_text_or_a_reason_with_its_place() {
        assert_eq!(text(b"{}", KIND), Ok("{}"));
        assert_eq!(
            text(b"\xEF\xBB\xBF{}", KIND),
            Ok("{}"),
            "a UTF-8 BOM is skipped"
        );
        let e = text(b"\xFF\xFE{\x00}\x00", KIND).unwrap_err().to_string();
        assert!(e.contains("UTF-16"), "{e}");
        let e = text(b"{\n  \"title\": \"Caf\xE9\"\n}", KIND).unwrap_err();
        assert_eq!(
            e.to_string(),
            "(file): byte 0xE9 is not UTF-8 (was the file saved as Latin-1 or Windows-1252? save it as UTF-8) (line 2, column 16)"
        );
        let e = text(&[b' '; 65], KIND).unwrap_err().to_string();
        assert!(
            e.contains("is 1 kB (65 bytes); a test file may have at most 0 kB (64 bytes)"),
            "{e}"
        );
    }

    #[test]
    fn hostile_characters_are_found_and_shown_escaped() {
        assert_eq!(control_character("fine\ttext\nhere é ü 🙂"), None);
        let why = control_character("Caf\u{1b}]0;pwned\u{7}").unwrap();
        assert!(
            why.starts_with("holds a control character (U+001B) at character 4"),
            "{why}"
        );
        let why = control_character("abc\u{202e}cba").unwrap();
        assert!(why.contains("bidirectional override (U+202E)"), "{why}");
        for c in ['\0', '\r', '\u{7f}', '\u{85}', '\u{9b}', '\u{2066}'] {
            assert!(is_hostile(c), "{c:?}");
        }
        assert_eq!(visible("plain"), Cow::Borrowed("plain"));
        let json = serde_json::to_string(&"a\u{1b}b\u{202e}c\u{9b}d\u{7f}").unwrap();
        let shown = json_visible(&json);
        assert_eq!(shown, r#""a\u001bb\u202ec\u009bd\u007f""#);
        assert_eq!(
            serde_json::from_str::<String>(&shown).unwrap(),
            "a\u{1b}b\u{202e}c\u{9b}d\u{7f}",
            "the same text once parsed"
        );
        assert_eq!(
            visible("a\u{1b}[2Jb\r\nc\u{202e}"),
            "a\\u{1B}[2Jb\\u{D}\nc\\u{202E}"
        );
    }
}
