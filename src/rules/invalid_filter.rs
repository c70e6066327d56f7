//! ECR205 invalid-filter: a repository filter is outside the allowed length or fails the prefix pattern.

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::document::Scalar;

rule_meta!(
    "ECR205",
    "invalid-filter",
    super::Level::ERROR,
    "A repository filter is not a valid repository-name prefix."
);

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for config in &ctx.doc.configurations {
        for rule in config.candidate_rules() {
            for f in rule
                .candidate_filters()
                .flat_map(|x| x.filter.iter().flat_map(Scalar::candidates))
            {
                let Some(value) = f.text() else { continue };
                if let Some((message, help)) = problem(ctx, config.dialect.keys().filter, value) {
                    out.push(
                        META.diagnostic(f.span(), message)
                            .with_primary_label("invalid filter")
                            .with_help(help),
                    );
                }
            }
        }
    }
}

/// Why a filter is invalid, most specific reason first.
fn problem(ctx: &Context, field: &str, value: &str) -> Option<(String, String)> {
    let facts = ctx.facts;
    let (min, max) = (facts.filter_min_len, facts.filter_max_len);
    let len = value.chars().count();
    let valid_pattern = facts.filter_pattern.is_match(value);
    if valid_pattern && (min..=max).contains(&len) {
        return None;
    }
    if let Some(glob) = value.find(['*', '?', '[', '{']) {
        let prefix = &value[..glob];
        let help = if prefix.chars().count() >= min && facts.filter_pattern.is_match(prefix) {
            format!("use `\"{prefix}\"`: it already matches every repository whose name starts with it")
        } else {
            "remove the filter list to replicate every repository, or name a literal prefix".to_string()
        };
        let c = &value[glob..glob + 1];
        return Some((
            format!("{field} `\"{value}\"` contains `{c}`: filters are literal name prefixes, not globs"),
            help,
        ));
    }
    if len < min {
        return Some((
            format!(
                "{field} `\"{value}\"` is {len} character{}; filters must be {min} to {max} characters",
                if len == 1 { "" } else { "s" }
            ),
            "use a longer prefix, or remove the filter list to replicate every repository".to_string(),
        ));
    }
    if len > max {
        return Some((
            format!("{field} is {len} characters; filters must be at most {max}"),
            format!("shorten the prefix to {max} characters or fewer"),
        ));
    }
    let fix = |s: String, what: &str| {
        let hint = if facts.filter_pattern.is_match(&s) {
            format!(": `\"{s}\"`")
        } else {
            String::new()
        };
        format!("{what}{hint}")
    };
    let reason = if !value.is_ascii() {
        (
            "contains non-ASCII characters",
            "repository names use only a-z, 0-9, `.`, `_`, `-` and `/`".to_string(),
        )
    } else if value.chars().any(|c| c.is_ascii_uppercase()) {
        (
            "contains upper-case letters: repository names are lower case",
            fix(value.to_ascii_lowercase(), "use lower case"),
        )
    } else if value.chars().any(char::is_whitespace) {
        (
            "contains white space",
            fix(value.split_whitespace().collect(), "remove the spaces"),
        )
    } else if value.contains("//") {
        let mut s = value.to_string();
        while s.contains("//") {
            s = s.replace("//", "/");
        }
        (
            "contains `//`: path segments cannot be empty",
            fix(s, "use a single `/`"),
        )
    } else if value.starts_with(['/', '.', '_', '-']) {
        (
            "starts with a separator: repository names start with a letter or digit",
            fix(
                value.trim_start_matches(['/', '.', '_', '-']).to_string(),
                "remove the leading separator",
            ),
        )
    } else {
        (
            "is not a repository-name prefix",
            "use lower-case letters and digits, separated by single `.`, `_`, `-` or `/`".to_string(),
        )
    };
    Some((format!("{field} `\"{value}\"` {}", reason.0), reason.1))
}
