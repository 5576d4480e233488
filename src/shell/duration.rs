//! The one duration syntax people type in flags and values (`90`, `90s`, `500ms`, `2m`, `1h`).

/// The longest duration any flag takes: one year. Longer values are a usage error (they
/// would overflow timers and deadlines rather than mean anything).
pub(crate) const MAX_SECONDS: f64 = 365.0 * 24.0 * 3600.0;

/// Parses `90`, `90s`, `1.5s`, `500ms`, `2m` or `1h`: the one duration syntax of every flag.
/// Negative, not-a-number and longer-than-a-year values are refused, never a panic.
pub(crate) fn parse(text: &str) -> Result<std::time::Duration, String> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| c.is_ascii_alphabetic()) {
        Some(split) => text.split_at(split),
        None => (text, "s"),
    };
    let value: f64 = number.trim().parse().map_err(|_| format!("`{text}` is not a duration (try 30s, 500ms, 2m)"))?;
    let seconds = match unit {
        "ms" => value / 1000.0,
        "s" | "sec" => value,
        "m" | "min" => value * 60.0,
        "h" => value * 3600.0,
        _ => return Err(format!("unknown unit `{unit}` in `{text}` (use ms, s, m or h)")),
    };
    if !seconds.is_finite() || seconds < 0.0 {
        return Err(format!("`{text}` is not a positive duration"));
    }
    if seconds > MAX_SECONDS {
        return Err(format!("`{text}` is longer than the longest duration taken, 365 days (8760h)"));
    }
    // In range, so `from_secs_f64` cannot panic.
    Ok(std::time::Duration::from_secs_f64(seconds))
}

/// [`parse`], then checked against `min..=max` seconds (the error says the range).
pub(crate) fn parse_in(text: &str, min: f64, max: f64) -> Result<std::time::Duration, String> {
    let duration = parse(text)?;
    let seconds = duration.as_secs_f64();
    if seconds < min || seconds > max {
        return Err(format!("`{}` is outside {}..={}", text.trim(), show(min), show(max)));
    }
    Ok(duration)
}

/// Seconds as people write them: `0.1s`, `30s`, `5m`, `24h`.
fn show(seconds: f64) -> String {
    if seconds >= 3600.0 && seconds % 3600.0 == 0.0 {
        format!("{}h", seconds / 3600.0)
    } else if seconds >= 60.0 && seconds % 60.0 == 0.0 {
        format!("{}m", seconds / 60.0)
    } else {
        format!("{}s", crate::py::float_repr(seconds).trim_end_matches(".0"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_range_durations_are_errors_not_panics() {
        for text in ["18446744073709551616", "5124095576030431h", "1e10", "-1", "NaN", "inf", "366d", "8761h", "1e400"]
        {
            assert!(parse(text).is_err(), "{text}");
        }
        assert_eq!(parse("8760h").unwrap().as_secs(), 31_536_000);
        assert_eq!(parse("500ms").unwrap().as_millis(), 500);
        assert!(parse_in("0.05", 0.1, 3600.0).unwrap_err().contains("0.1s..=1h"));
        assert!(parse_in("2h", 0.1, 3600.0).is_err());
        assert_eq!(parse_in("30s", 0.1, 3600.0).unwrap().as_secs(), 30);
    }
}
