//! `ecrlint init`: writes a commented `.ecrlint.toml` to start from. Every
//! setting is there, commented out, with what it does; the first line
//! associates the configuration's JSON Schema for editors (taplo's
//! `#:schema` directive) with the copy of that schema `init` writes beside
//! it: offline, and always the schema of the ecrlint that wrote it (a
//! published URL would 404 for any build that is not a release).

use super::{usage_error, EXIT_OK, EXIT_TROUBLE};
use crate::config::FILE_NAME;
use std::io::Write;
use std::path::Path;

/// Where this version's schema `file` (in `schemas/`) is published: the
/// repository's raw file at the release tag, so that an editor validates a
/// configuration against the schema of the ecrlint that reads it. Each
/// schema's `$id` is the same URL (a test holds them to it).
pub fn schema_url(file: &str) -> String {
    let repository = env!("CARGO_PKG_REPOSITORY");
    let repo = repository.strip_prefix("https://github.com/").unwrap_or(repository);
    format!(
        "https://raw.githubusercontent.com/{repo}/v{}/schemas/{file}",
        env!("CARGO_PKG_VERSION")
    )
}

/// The configuration schema's file in `schemas/`.
pub const CONFIG_SCHEMA: &str = "ecrlint-config.schema.json";

/// The configuration schema, as this version reads configurations.
const CONFIG_SCHEMA_TEXT: &str = include_str!("../../schemas/ecrlint-config.schema.json");

/// The name of the schema's copy beside `.ecrlint.toml`.
pub const SCHEMA_COPY: &str = ".ecrlint.schema.json";

/// The file `init` writes. Uncommenting any `# key = value` line gives a
/// valid setting (a test holds it to that).
pub fn template() -> String {
    format!(
        r#"#:schema ./{SCHEMA_COPY}
# ecrlint's configuration: it applies to the files in this folder and below,
# unless a closer .ecrlint.toml takes over. `ecrlint config FILE` shows the
# settings in force for a file and where they came from. Editors with taplo
# (Even Better TOML) check it against {SCHEMA_COPY}, which `ecrlint init
# --schema` brings up to date after an upgrade.

# Build on another configuration, such as the organisation's, by its path
# relative to this folder: what this file sets wins, lists of additions add up.
# extend = "../.ecrlint.toml"

# Globs that directory walks pass over, relative to this folder (a glob
# without `/` matches a name anywhere). `exclude` replaces the default
# list, ["target", "node_modules"] (`target` only beside a Cargo.toml);
# `extend-exclude` adds to it.
# extend-exclude = ["generated/**", "*.local.json"]

[source]
# Where the configurations in this tree are applied: enables ECR306 (a
# destination equal to the source) and the partition check (ECR307).
# region = "us-east-1"
# registry-id = "210987654321"

[destination]
# The registry the registry policies in this tree belong to, when their
# resource ARNs do not say (`${{AWS::AccountId}}`): for the check across files
# (ECR506-ECR508).
# registry-id = "109876543210"
# region = "us-west-2"

[rules]
# A rule's level, by code or name: "error", "warning", "info" or "off".
# ECR310 = "warning"
# opt-in-region = "off"

[regions]
# Regions newer than ecrlint's list, known from now on (never ECR203).
# extra = ["eu-east-9"]

[fix]
# Rules whose fixes --fix and editors never apply.
# unfixable = ["ECR304"]

[terraform]
# Variable values, as CI passes them to `terraform plan` (after the
# folder's own terraform.tfvars and *.auto.tfvars, before --var-file/--var).
# var-files = ["env/prod.tfvars"]
# vars = {{ replica_region = "us-west-2" }}

[policy]
# The organisation's rules for destinations (ECR401-ECR403).
# allowed-regions = ["us-east-1", "us-west-2"]
# denied-regions = ["ap-east-1"]
# allowed-accounts = ["210987654321"]
# Every cross-account destination's registry policy must be among the
# linted files (ECR506 when it is not).
# require-registry-policies = true
# Every destination needs a repository creation template for what
# replication creates there (ECR705 when none is linted).
# require-creation-templates = true
# max-unique-destinations = 25
"#
    )
}

/// Writes the template to `.ecrlint.toml` in `dir` (never over an existing
/// one) and the schema's copy beside it; with `schema_only`, just the copy.
pub fn run(dir: &Path, schema_only: bool) -> i32 {
    if !schema_only {
        let path = dir.join(FILE_NAME);
        let file = std::fs::OpenOptions::new().write(true).create_new(true).open(&path);
        let mut file = match file {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return usage_error(&format!(
                    "{} already exists: ecrlint init never overwrites a configuration (`ecrlint init --schema` writes only the schema beside it)",
                    path.display()
                ))
            }
            Err(e) => return usage_error(&format!("cannot create {}: {e}", path.display())),
        };
        if let Err(e) = file.write_all(template().as_bytes()) {
            line_to_stderr!("error: cannot write {}: {e}", crate::text::escape_path(&path));
            return EXIT_TROUBLE;
        }
        line_to_stderr!("wrote {}", crate::text::escape_path(&path));
    }
    write_schema(dir)
}

/// The schema's copy: written when missing or different, left alone when it
/// is already this version's.
fn write_schema(dir: &Path) -> i32 {
    let path = dir.join(SCHEMA_COPY);
    let shown = crate::text::escape_path(&path);
    match std::fs::read(&path) {
        Ok(bytes) if bytes == CONFIG_SCHEMA_TEXT.as_bytes() => {
            line_to_stderr!("{shown} is already the schema of ecrlint {}", env!("CARGO_PKG_VERSION"));
            return EXIT_OK;
        }
        _ => {}
    }
    if let Err(e) = std::fs::write(&path, CONFIG_SCHEMA_TEXT) {
        line_to_stderr!("error: cannot write {shown}: {e}");
        return EXIT_TROUBLE;
    }
    line_to_stderr!(
        "wrote {shown} (the configuration schema of ecrlint {})",
        env!("CARGO_PKG_VERSION")
    );
    EXIT_OK
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_is_valid_as_written_and_with_every_example_uncommented() {
        let path = Path::new(".ecrlint.toml");
        assert!(crate::config::parse(path, &template()).is_ok());
        let uncommented: String = template()
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                // The file it would extend does not exist here.
                Some(rest) if rest.contains(" = ") && !rest.starts_with("extend = ") => rest,
                _ => l,
            })
            .map(|l| format!("{l}\n"))
            .collect();
        let config = crate::config::parse(path, &uncommented).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(config.base.source_region.as_deref(), Some("us-east-1"));
        assert_eq!(config.base.policy.max_unique_destinations, Some(25));
    }
}
