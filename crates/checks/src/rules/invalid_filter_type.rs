//! ECR201 invalid-filter-type: `filterType` is not one of the API's filter types (only `PREFIX_MATCH`).

use super::Context;
use crate::document::Scalar;
use crate::fix::{Applicability, Fix};
use crate::rules::findings::Findings;
use crate::text::one_of;

rule_meta!(
    "ECR201",
    "invalid-filter-type",
    super::Level::ERROR,
    "filterType is not PREFIX_MATCH, the only filter type.",
    resources: [replication],
    scope: File,
    fix: Sometimes,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    let allowed: Vec<&str> = ctx.facts.filter_types.iter().map(String::as_str).collect();
    for config in &ctx.doc.configurations {
        for rule in config.candidate_rules() {
            for ty in rule
                .candidate_filters()
                .flat_map(|x| x.filter_type.iter().flat_map(Scalar::candidates))
            {
                let Some(value) = ty.text() else { continue };
                let field = config.dialect.keys.filter_type;
                if allowed.contains(&value) {
                    continue;
                }
                let mut d = META
                    .diagnostic(
                        ty.span(),
                        format!(
                            "{field} `\"{value}\"` is not valid: the only filter type is {}",
                            one_of(&allowed)
                        ),
                    )
                    .with_primary_label("unknown filter type");
                let fix = allowed.first().copied().unwrap_or_default();
                // `PREFIX`, `prefix_match`, `Prefix-Match`: the one type, misspelt.
                let squashed: String = value.chars().filter(char::is_ascii_alphanumeric).collect();
                let meant = ["PREFIX", "PREFIXMATCH"]
                    .iter()
                    .any(|w| w.eq_ignore_ascii_case(&squashed));
                d = if allowed.iter().any(|a| a.eq_ignore_ascii_case(value)) {
                    d.with_help(format!("filter types are upper case: use `\"{fix}\"`"))
                } else {
                    d.with_help(format!(
                        "use `\"{fix}\"`: every filter is a literal repository-name prefix"
                    ))
                };
                if let Some(edit) = ctx.replace_scalar(ty.span(), fix).filter(|_| !fix.is_empty()) {
                    let title = format!("Replace `{value}` with `{fix}`");
                    let applicability = if meant {
                        Applicability::Safe
                    } else {
                        Applicability::Unsafe
                    };
                    d = d.with_fix(Fix::new(title, applicability, vec![edit]));
                }
                out.push(d);
            }
        }
    }
}
