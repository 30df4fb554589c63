//! Decimal formatting of floats with integer arithmetic only. The browser app formats every
//! number it shows through these, so it does not link the standard library's float-to-decimal
//! machinery (Grisu and Dragon4 with their tables, about 15 kB of wasm).

/// `v` rounded to `decimals` places (at most 9), always with that many places: `fixed(2.05, 1)`
/// is `"2.1"`, `fixed(3.0, 2)` is `"3.00"`. Non-finite values print as `"—"`.
pub fn fixed(v: f64, decimals: u32) -> String {
    if !v.is_finite() {
        return "—".to_string();
    }
    let decimals = decimals.min(9);
    let scale = 10u64.pow(decimals);
    // Half away from zero, on the magnitude.
    let scaled = (v.abs() * scale as f64 + 0.5) as u64;
    let (int, frac) = (scaled / scale, scaled % scale);
    let sign = if v < 0.0 && scaled != 0 { "-" } else { "" };
    if decimals == 0 {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac:0width$}", width = decimals as usize)
    }
}

/// `v` with at most `decimals` places and no trailing zeros: `trimmed(0.999, 6)` is `"0.999"`,
/// `trimmed(60.0, 6)` is `"60"`.
pub fn trimmed(v: f64, decimals: u32) -> String {
    let text = fixed(v, decimals);
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// Parses a decimal number as people and JSON write it (`60`, `-2.5`, `0.999`, `.5`, `1e3`,
/// `2.5E-2`): an optional sign, digits, an optional fraction, an optional exponent; at most 15
/// significant digits, and a power of ten within ±22 once the fraction is counted. Returns the
/// correctly rounded double (the digits and the power of ten are exact doubles, and one
/// multiplication or division rounds once), the same as the standard parser gives for such text,
/// without its tables (about 14 kB of the browser app). Fifteen digits are enough to round-trip:
/// a double read from such a text is written back by `{}` (the shortest text that reads as it) in
/// at most fifteen digits.
pub fn parse_decimal(text: &str) -> Option<f64> {
    parse_number(text)
}

/// What `parse_decimal` reads, for messages: `'x' is not a number like …`.
pub const NUMBER_SHAPES: &str = "a number like 40, 2.5 or 1e3 (at most 15 significant digits)";

fn parse_number(text: &str) -> Option<f64> {
    let text = text.trim();
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (digits, exponent) = match digits.find(['e', 'E']) {
        Some(i) => {
            let e = &digits[i + 1..];
            let e_digits = e.strip_prefix(['+', '-']).unwrap_or(e);
            if e_digits.is_empty()
                || e_digits.len() > 3
                || !e_digits.bytes().all(|b| b.is_ascii_digit())
            {
                return None;
            }
            (&digits[..i], e.parse::<i32>().ok()?)
        }
        None => (digits, 0),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let significant = int.trim_start_matches('0').len() + frac.len();
    if significant > 15 || frac.len() > 15 {
        return None;
    }
    let mut mantissa: u64 = 0;
    for b in int.bytes().chain(frac.bytes()) {
        mantissa = mantissa * 10 + u64::from(b - b'0');
    }
    // Powers of ten up to 1e22 are exact doubles.
    let power = exponent - frac.len() as i32;
    if power.abs() > 22 {
        return None;
    }
    let value = if power < 0 {
        mantissa as f64 / 10f64.powi(-power)
    } else {
        mantissa as f64 * 10f64.powi(power)
    };
    Some(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_rounds_half_away_from_zero() {
        assert_eq!(fixed(2.25, 1), "2.3");
        assert_eq!(fixed(-2.25, 1), "-2.3");
        assert_eq!(fixed(3.0, 2), "3.00");
        assert_eq!(fixed(0.04, 1), "0.0");
        assert_eq!(fixed(-0.04, 1), "0.0");
        assert_eq!(fixed(1234.5, 0), "1235");
        assert_eq!(fixed(f64::NAN, 1), "—");
    }

    #[test]
    fn parse_decimal_agrees_with_the_standard_parser() {
        for text in [
            "60",
            "0.999",
            "-2.5",
            ".5",
            "5.",
            "0.05",
            "3600",
            "0.99999",
            "123456.789",
            "+7",
            "007.25",
            "1e3",
            "1E3",
            "2.5e-2",
            "-1.5e+2",
            "12345e-4",
            ".5e1",
        ] {
            assert_eq!(parse_decimal(text), text.parse::<f64>().ok(), "{text}");
        }
        for bad in [
            "",
            "-",
            ".",
            "e3",
            "1e",
            "1e+",
            "1e3.5",
            "1e400",
            "1ee3",
            "abc",
            "1.2.3",
            "0x10",
            "1 000",
            "1234567890123456",
        ] {
            assert_eq!(parse_decimal(bad), None, "{bad}");
        }
        // A double read from at most fifteen digits is written back by `{}` in at most fifteen,
        // which read back as the same double.
        for text in [
            "0.1",
            "0.123456789012345",
            "86400.0000000001",
            "0.000000000000001",
            "123456789012345",
        ] {
            let v = parse_decimal(text).unwrap();
            assert_eq!(parse_decimal(&format!("{v}")), Some(v), "{text}");
        }
    }

    #[test]
    fn trimmed_drops_trailing_zeros() {
        assert_eq!(trimmed(0.999, 6), "0.999");
        assert_eq!(trimmed(60.0, 6), "60");
        assert_eq!(trimmed(0.05, 6), "0.05");
        assert_eq!(trimmed(0.1 + 0.2, 6), "0.3");
        assert_eq!(trimmed(1e-7, 6), "0");
    }
}
