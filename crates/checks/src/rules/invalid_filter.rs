//! ECR205 invalid-filter: a repository filter is outside the allowed length or fails the prefix pattern.

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::document::Scalar;
use crate::fix::{Applicability, Fix};
use crate::rules::findings::Findings;

rule_meta!(
    "ECR205",
    "invalid-filter",
    super::Level::ERROR,
    "A repository filter is not a valid repository-name prefix.",
    resources: [replication],
    scope: File,
    fix: Sometimes,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    for config in &ctx.doc.configurations {
        for rule in config.candidate_rules() {
            for f in rule
                .candidate_filters()
                .flat_map(|x| x.filter.iter().flat_map(Scalar::candidates))
            {
                if let crate::document::Value::Template(template) = f.value() {
                    out.extend(template_problem(config.dialect.keys.filter, template, f.span()));
                    continue;
                }
                let Some(value) = f.text() else { continue };
                if let Some(Problem { message, help, fix }) = problem(ctx, config.dialect.keys.filter, value) {
                    let mut d = META
                        .diagnostic(f.span(), message)
                        .with_primary_label("invalid filter")
                        .with_help(help);
                    if let Some((fixed, applicability)) = fix {
                        if let Some(edit) = ctx.replace_scalar(f.span(), &fixed) {
                            let title = format!("Replace `{value}` with `{fixed}`");
                            d = d.with_fix(Fix::new(title, applicability, vec![edit]));
                        }
                    }
                    out.push(d);
                }
            }
        }
    }
}

/// A Terraform template is unknown as a whole, but a glob or an upper-case
/// letter in its literal text fails whatever the interpolations give.
fn template_problem(field: &str, template: &str, span: crate::syntax::Span) -> Option<Diagnostic> {
    let literal = crate::document::terraform::literal_text(template);
    let (message, help) = if let Some(c) = literal.chars().find(|c| matches!(c, '*' | '?' | '[')) {
        (
            format!("{field} `\"{template}\"` contains `{c}`: filters are literal name prefixes, not globs"),
            format!(
                "remove `{c}` and what follows it: a prefix already matches every repository whose name starts with it"
            ),
        )
    } else if literal.chars().any(|c| c.is_ascii_uppercase()) {
        (
            format!("{field} `\"{template}\"` contains upper-case letters: repository names are lower case"),
            "write the literal part in lower case (or wrap the template in `lower(...)`)".to_string(),
        )
    } else if literal.chars().any(char::is_whitespace) {
        (
            format!("{field} `\"{template}\"` contains white space, which no repository name has"),
            "remove the spaces".to_string(),
        )
    } else {
        return None;
    };
    Some(
        META.diagnostic(span, message)
            .with_primary_label("invalid filter")
            .with_help(help),
    )
}

/// Why a filter is invalid, and the valid filter the help names, when there
/// is one (whether it is surely what was meant, or a guess).
struct Problem {
    message: String,
    help: String,
    fix: Option<(String, Applicability)>,
}

impl Problem {
    fn new(message: String, help: String) -> Problem {
        Problem {
            message,
            help,
            fix: None,
        }
    }
}

/// Why a filter is invalid, most specific reason first.
fn problem(ctx: &Context, field: &str, value: &str) -> Option<Problem> {
    let facts = ctx.facts;
    let (min, max) = (facts.filter_min_len, facts.filter_max_len);
    let len = value.chars().count();
    let valid_pattern = facts.filter_pattern.is_match(value);
    if valid_pattern && (min..=max).contains(&len) {
        return None;
    }
    if let Some(glob) = value.find(['*', '?', '[', '{']) {
        let prefix = &value[..glob];
        let usable = prefix.chars().count() >= min && facts.filter_pattern.is_match(prefix);
        let help = if usable {
            format!("use `\"{prefix}\"`: it already matches every repository whose name starts with it")
        } else {
            "remove the filter list to replicate every repository, or name a literal prefix".to_string()
        };
        let c = &value[glob..glob + 1];
        return Some(Problem {
            message: format!("{field} `\"{value}\"` contains `{c}`: filters are literal name prefixes, not globs"),
            help,
            // Cut back, the filter may match more than the glob did.
            fix: usable.then(|| (prefix.to_string(), Applicability::Unsafe)),
        });
    }
    if len < min {
        return Some(Problem::new(
            format!(
                "{field} `\"{value}\"` is {len} character{}; filters must be {min} to {max} characters",
                if len == 1 { "" } else { "s" }
            ),
            "use a longer prefix, or remove the filter list to replicate every repository".to_string(),
        ));
    }
    if len > max {
        return Some(Problem::new(
            format!("{field} is {len} characters; filters must be at most {max}"),
            format!("shorten the prefix to {max} characters or fewer"),
        ));
    }
    // The help names the cure when it gives a valid filter; lower case
    // alone is surely what was meant, the other cures are guesses.
    let cure = |s: String, what: &str, applicability: Applicability| {
        if facts.filter_pattern.is_match(&s) {
            (format!("{what}: `\"{s}\"`"), Some((s, applicability)))
        } else {
            (what.to_string(), None)
        }
    };
    let (reason, (help, fix)) = if !value.is_ascii() {
        (
            "contains non-ASCII characters",
            (
                "repository names use only a-z, 0-9, `.`, `_`, `-` and `/`".to_string(),
                None,
            ),
        )
    } else if value.chars().any(|c| c.is_ascii_uppercase()) {
        (
            "contains upper-case letters: repository names are lower case",
            cure(value.to_ascii_lowercase(), "use lower case", Applicability::Safe),
        )
    } else if value.chars().any(char::is_whitespace) {
        (
            "contains white space",
            cure(
                value.split_whitespace().collect(),
                "remove the spaces",
                Applicability::Unsafe,
            ),
        )
    } else if value.contains("//") {
        let mut s = value.to_string();
        while s.contains("//") {
            s = s.replace("//", "/");
        }
        (
            "contains `//`: path segments cannot be empty",
            cure(s, "use a single `/`", Applicability::Unsafe),
        )
    } else if value.starts_with(['/', '.', '_', '-']) {
        (
            "starts with a separator: repository names start with a letter or digit",
            cure(
                value.trim_start_matches(['/', '.', '_', '-']).to_string(),
                "remove the leading separator",
                Applicability::Unsafe,
            ),
        )
    } else {
        (
            "is not a repository-name prefix",
            (
                "use lower-case letters and digits, separated by single `.`, `_`, `-` and `/`".to_string(),
                None,
            ),
        )
    };
    // A cure that makes the filter too short is no cure.
    let fix = fix.filter(|(s, _)| (min..=max).contains(&s.chars().count()));
    Some(Problem {
        message: format!("{field} `\"{value}\"` {reason}"),
        help,
        fix,
    })
}
