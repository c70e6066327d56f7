//! The layout of `.ecrlint.toml` as serde reads it: every value keeps its
//! span, so that [`super::check`] can point at a mistake.

use serde::Deserialize;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawConfig {
    /// Another configuration file whose settings this one builds on.
    pub(super) extend: Option<Spanned<String>>,
    /// Globs passed over in directory walks, replacing the default list.
    pub(super) exclude: Option<Vec<Spanned<String>>>,
    /// Globs passed over in directory walks, besides `exclude`'s.
    #[serde(default)]
    pub(super) extend_exclude: Vec<Spanned<String>>,
    /// ruff's rule selection: see [`super::select`].
    pub(super) select: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub(super) extend_select: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) ignore: Vec<Spanned<String>>,
    /// Findings kept per file (`--max-findings`).
    pub(super) max_findings: Option<usize>,
    pub(super) source: Option<RawSource>,
    pub(super) destination: Option<RawSource>,
    #[serde(default, deserialize_with = "pairs::deserialize")]
    pub(super) rules: pairs::Pairs,
    pub(super) regions: Option<RawRegions>,
    pub(super) fix: Option<RawFix>,
    pub(super) policy: Option<RawPolicy>,
    pub(super) registry: Option<RawRegistry>,
    pub(super) terraform: Option<RawTerraform>,
    pub(super) baseline: Option<RawBaseline>,
    #[serde(default)]
    pub(super) overrides: Vec<RawOverride>,
}

/// `[terraform]`: variable values, as `terraform plan` would get them in CI.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawTerraform {
    /// Files of variable values (`-var-file`), relative to the configuration file.
    #[serde(default)]
    pub(super) var_files: Vec<Spanned<String>>,
    /// `NAME = "VALUE"` (`-var`).
    #[serde(default)]
    pub(super) vars: std::collections::BTreeMap<String, Spanned<String>>,
}

/// `[baseline]`: the file of known findings (`check --write-baseline` writes it).
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawBaseline {
    /// Relative to the configuration file's folder.
    pub(super) file: Option<Spanned<String>>,
}

/// `[registry]`: facts of the registries the linted policies belong to.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawRegistry {
    pub(super) policy_scope: Option<Spanned<String>>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawSource {
    pub(super) region: Option<Spanned<String>>,
    pub(super) registry_id: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawRegions {
    #[serde(default)]
    pub(super) extra: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawFix {
    pub(super) fixable: Option<Vec<Spanned<String>>>,
    pub(super) unfixable: Option<Vec<Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawPolicy {
    pub(super) allowed_regions: Option<Vec<Spanned<String>>>,
    pub(super) denied_regions: Option<Vec<Spanned<String>>>,
    pub(super) allowed_accounts: Option<Vec<Spanned<String>>>,
    pub(super) max_unique_destinations: Option<Spanned<i64>>,
    #[serde(default)]
    pub(super) required_destinations: Vec<RawRequired>,
    pub(super) require_registry_policies: Option<bool>,
    pub(super) require_creation_templates: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawRequired {
    pub(super) region: Spanned<String>,
    pub(super) registry_id: Spanned<String>,
    pub(super) repositories: Option<Vec<Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawOverride {
    pub(super) files: Vec<Spanned<String>>,
    #[serde(default, deserialize_with = "pairs::deserialize")]
    pub(super) rules: pairs::Pairs,
    /// What the matched files are, when recognition cannot tell.
    pub(super) document: Option<Spanned<String>>,
    pub(super) registry: Option<RawRegistry>,
    /// Findings kept per matched file (`--max-findings` still wins).
    pub(super) max_findings: Option<usize>,
}

/// Tables such as `[rules]` are read as ordered (key, value) pairs so each
/// key keeps its span; serde sees a map, this adapter lists it.
pub(super) mod pairs {
    use serde::de::{Deserializer, MapAccess, Visitor};
    use std::fmt;
    use toml::Spanned;

    pub type Pairs = Vec<(Spanned<String>, Spanned<String>)>;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Pairs, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Pairs;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table of RULE = \"error\" | \"warning\" | \"info\" | \"off\"")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Pairs, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    out.push(entry);
                }
                Ok(out)
            }
        }
        d.deserialize_map(V)
    }
}
