//! YAML 1.1's scalar types, as CloudFormation reads templates: booleans
//! (`on`, `yes`, `n`), octal and `_`-separated integers, sexagesimal, and
//! the core tags (`!!int "10"` is a number).

use crate::{NodeKind, Str};
use saphyr_parser::Tag;
use std::borrow::Cow;

/// The YAML 1.1 words for true and false, every spelling the type
/// repository lists (<https://yaml.org/type/bool.html>). CloudFormation reads
/// templates as YAML 1.1, so an unquoted `on` or `no` is a boolean.
pub const YAML11_TRUE: &[&str] = &["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"];
pub const YAML11_FALSE: &[&str] = &[
    "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
];

fn yaml11_bool(v: &str) -> Option<bool> {
    if YAML11_TRUE.contains(&v) {
        Some(true)
    } else if YAML11_FALSE.contains(&v) {
        Some(false)
    } else {
        None
    }
}

/// The name of a core-schema tag: `!!str` and its verbatim form
/// `!<tag:yaml.org,2002:str>` are both `str`; the non-specific tag `!`
/// makes a plain scalar a string.
pub(super) fn core_tag(tag: &Tag) -> Option<&str> {
    const CORE: &str = "tag:yaml.org,2002:";
    if tag.handle == CORE {
        return Some(&tag.suffix);
    }
    if tag.handle.is_empty() {
        if tag.suffix == "!" {
            return Some("str");
        }
        return tag.suffix.strip_prefix(CORE);
    }
    None
}

/// A scalar with an explicit core tag: `!!int "0123"` is a number whatever
/// its quotes. A value the tag cannot hold stays a string.
pub(super) fn resolve_tagged<'s>(core: &str, value: Cow<'s, str>) -> NodeKind<'s> {
    match core {
        "null" => NodeKind::Null,
        "bool" => yaml11_bool(&value).map_or(NodeKind::String(value.into()), NodeKind::Bool),
        "int" => match yaml11_int(&value) {
            Some(n) => NodeKind::Number(Str::owned(n)),
            None => NodeKind::String(value.into()),
        },
        "float" => match yaml11_int(&value).or_else(|| yaml11_float(&value)) {
            Some(n) => NodeKind::Number(Str::owned(n)),
            None => NodeKind::String(value.into()),
        },
        _ => NodeKind::String(value.into()),
    }
}

/// What a plain scalar is under YAML 1.1's types (<https://yaml.org/type/>),
/// as CloudFormation and PyYAML read it: `yes`/`no`/`on`/`off`/`y`/`n` are
/// booleans, `0123` is octal (but `0128` a string: 8 is no octal digit),
/// `1_000` is 1000, `1:30` is 90; numbers carry their value as JSON text.
pub(super) fn resolve_plain(value: Cow<'_, str>) -> NodeKind<'_> {
    let v = value.as_ref();
    if matches!(v, "" | "~" | "null" | "Null" | "NULL") {
        return NodeKind::Null;
    }
    if let Some(b) = yaml11_bool(v) {
        return NodeKind::Bool(b);
    }
    if !v.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '-' | '+' | '.')) {
        return NodeKind::String(value.into());
    }
    match yaml11_int(v).or_else(|| yaml11_float(v)) {
        Some(n) if n == v => NodeKind::Number(value.into()),
        Some(n) => NodeKind::Number(Str::owned(n)),
        None => NodeKind::String(value.into()),
    }
}

/// A YAML 1.1 integer (<https://yaml.org/type/int.html>) as decimal text, or
/// `None`. Values past 128 bits keep their digits (only the type matters).
pub fn yaml11_int(v: &str) -> Option<String> {
    let (sign, body) = match v.as_bytes().first()? {
        b'-' => ("-", &v[1..]),
        b'+' => ("", &v[1..]),
        _ => ("", v),
    };
    let digits = |s: &str, radix: u32| {
        let d: String = s.chars().filter(|&c| c != '_').collect();
        (!d.is_empty() && s.chars().all(|c| c == '_' || c.is_digit(radix))).then_some(d)
    };
    let in_radix = |d: String, radix: u32| match u128::from_str_radix(&d, radix) {
        Ok(0) => "0".to_string(),
        Ok(n) => format!("{sign}{n}"),
        Err(_) => format!("{sign}{d}"),
    };
    if let Some(b) = body.strip_prefix("0b") {
        return digits(b, 2).map(|d| in_radix(d, 2));
    }
    if let Some(h) = body.strip_prefix("0x") {
        return digits(h, 16).map(|d| in_radix(d, 16));
    }
    if body == "0" {
        return Some("0".to_string());
    }
    if let Some(o) = body.strip_prefix('0') {
        return digits(o, 8).map(|d| in_radix(d, 8));
    }
    if !body.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if let Some((first, rest)) = body.split_once(':') {
        // Sexagesimal: 1:30 is 90.
        let mut n: u128 = digits(first, 10)?.parse().ok()?;
        for part in rest.split(':') {
            let ok = (1..=2).contains(&part.len())
                && part.bytes().all(|b| b.is_ascii_digit())
                && (part.len() == 1 || part.as_bytes()[0] <= b'5');
            if !ok {
                return None;
            }
            n = n.checked_mul(60)?.checked_add(part.parse::<u128>().ok()?)?;
        }
        return Some(format!("{sign}{n}"));
    }
    digits(body, 10).map(|d| format!("{sign}{d}"))
}

/// A YAML 1.1 float (<https://yaml.org/type/float.html>, with PyYAML's
/// reading: a `.` is required, an exponent has a sign) as JSON number text,
/// or the text as written for infinities and NaN (not JSON numbers).
pub(super) fn yaml11_float(v: &str) -> Option<String> {
    let body = v.strip_prefix(['-', '+']).unwrap_or(v);
    if matches!(body, ".inf" | ".Inf" | ".INF") || matches!(v, ".nan" | ".NaN" | ".NAN") {
        return Some(v.to_string());
    }
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (whole, fraction) = mantissa.split_once('.')?;
    let digits_ok = |s: &str| s.bytes().all(|b| b.is_ascii_digit() || b == b'_');
    let whole_ok = if whole.contains(':') {
        // Sexagesimal floats (190:20:30.15) are rare enough to leave as text.
        return None;
    } else if whole.is_empty() {
        fraction.starts_with(|c: char| c.is_ascii_digit())
    } else {
        whole.starts_with(|c: char| c.is_ascii_digit()) && digits_ok(whole)
    };
    let exponent_ok = exponent.is_none_or(|e| {
        e.strip_prefix(['-', '+'])
            .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
    });
    if !(whole_ok && digits_ok(fraction) && exponent_ok) {
        return None;
    }
    let text: String = v.chars().filter(|&c| c != '_').collect();
    let f: f64 = text.parse().ok()?;
    serde_json::Number::from_f64(f).map(|n| n.to_string())
}
