//! The one duration syntax people type in flags and values (`90`, `90s`, `500ms`, `2m`, `1h`).

/// Parses `90`, `90s`, `1.5s`, `500ms`, `2m` or `1h`: the one duration syntax of every flag.
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
    Ok(std::time::Duration::from_secs_f64(seconds))
}
