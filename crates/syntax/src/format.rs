//! Which files ecrlint reads and how: the one list of source formats with
//! their file extensions (directory walks and the hook derive theirs from it),
//! the extensions that are never read, and encodings other than UTF-8.

use super::{hcl, json, yaml, Node, ParseError, Parsed};
use std::path::Path;

/// A format with a front end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceFormat {
    Json,
    Yaml,
    /// Terraform's HCL native syntax. (Terraform's JSON syntax, `.tf.json`,
    /// is JSON: its extension is `.json`.)
    Hcl,
}

/// Each format and the extensions that name it.
const FORMATS: &[(SourceFormat, &[&str])] = &[
    (SourceFormat::Json, &["json"]),
    (SourceFormat::Yaml, &["yaml", "yml"]),
    (SourceFormat::Hcl, &["tf"]),
];

/// Files read by their whole name in a format their extension does not
/// say: Terragrunt's `terragrunt.hcl` (HCL; its `inputs` may set a known
/// module's replication input). Other `.hcl` files stay unread.
const READ_NAMES: &[(&str, SourceFormat)] = &[("terragrunt.hcl", SourceFormat::Hcl)];

/// Extensions read in either format, told apart by the content
/// (CloudFormation's `.template`).
const EITHER: &[&str] = &["template"];

/// Extensions of files that are never replication documents, even when
/// they mention it: code that builds one, documentation, and HCL that is not
/// a Terraform configuration (`.tfvars` holds only variable values; `.hcl`
/// is Packer, Nomad or Terragrunt).
const NOT_READ: &[&str] = &[
    "ts", "tsx", "js", "mjs", "cjs", "py", "go", "java", "kt", "cs", "rb", "rs", "php", "sh", "ps1", "hcl", "tfvars",
    "md", "markdown", "rst", "adoc", "html", "xml", "toml", "ini", "cfg", "csv", "lock",
];

impl SourceFormat {
    pub fn name(self) -> &'static str {
        match self {
            SourceFormat::Json => "JSON",
            SourceFormat::Yaml => "YAML",
            SourceFormat::Hcl => "HCL",
        }
    }

    /// The span tree of `bytes` in this format.
    pub fn parse(self, bytes: &[u8]) -> Result<Node<'_>, ParseError> {
        match self {
            SourceFormat::Json => json::parse(bytes),
            SourceFormat::Yaml => yaml::parse(bytes),
            SourceFormat::Hcl => hcl::parse(bytes),
        }
    }

    /// [`SourceFormat::parse`], with the comments the parser skipped (JSON has none).
    pub fn parse_with_comments(self, bytes: &[u8]) -> Result<Parsed<'_>, ParseError> {
        match self {
            SourceFormat::Json => json::parse(bytes).map(|root| Parsed {
                root,
                comments: Vec::new(),
            }),
            SourceFormat::Yaml => yaml::parse_with_reuse(bytes).map(|(parsed, _)| parsed),
            SourceFormat::Hcl => hcl::parse_with_comments(bytes),
        }
    }
}

/// How a file's name says to read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadAs {
    Format(SourceFormat),
    /// JSON when the text starts with `{` or `[`, else YAML (`.template`
    /// files, standard input without a name).
    Detect,
    /// A file type ecrlint does not read (source code, prose).
    NotRead,
}

impl ReadAs {
    /// By the file's name ([`READ_NAMES`]) or extension: a format's own,
    /// one of [`EITHER`], one never read, or anything else (detected from
    /// the content).
    pub fn for_path(path: &Path) -> ReadAs {
        let name = path.file_name().and_then(|n| n.to_str());
        if let Some((_, format)) = READ_NAMES.iter().find(|(read, _)| Some(*read) == name) {
            return ReadAs::Format(*format);
        }
        let Some(ext) = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase) else {
            return ReadAs::Detect;
        };
        if let Some((format, _)) = FORMATS.iter().find(|(_, exts)| exts.contains(&ext.as_str())) {
            return ReadAs::Format(*format);
        }
        if NOT_READ.contains(&ext.as_str()) {
            ReadAs::NotRead
        } else {
            ReadAs::Detect
        }
    }

    /// The format to parse `bytes` in; `None` for a file that is not read.
    pub fn resolve(self, bytes: &[u8]) -> Option<SourceFormat> {
        match self {
            ReadAs::Format(f) => Some(f),
            ReadAs::NotRead => None,
            ReadAs::Detect => {
                let body = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
                Some(match body.iter().find(|b| !b.is_ascii_whitespace()) {
                    Some(b'{' | b'[') | None => SourceFormat::Json,
                    Some(_) => SourceFormat::Yaml,
                })
            }
        }
    }
}

/// The extensions read in directory walks, lower case.
pub fn read_extensions() -> impl Iterator<Item = &'static str> {
    FORMATS
        .iter()
        .flat_map(|(_, exts)| exts.iter().copied())
        .chain(EITHER.iter().copied())
}

/// Extensions of files that hold no configuration but set values one uses:
/// Terraform's variable files. Directory walks pass them to the lint, which
/// reports the findings on the values they set for a module's replication
/// resources there, where the fix goes, and passes over the others.
const VALUE_FILES: &[&str] = &["tfvars"];

/// The extensions a directory walk takes, lower case: those read, and
/// those of value files.
pub fn walked_extensions() -> impl Iterator<Item = &'static str> {
    read_extensions().chain(VALUE_FILES.iter().copied())
}

/// The file names read whatever their extension (`terragrunt.hcl`).
pub fn read_file_names() -> impl Iterator<Item = &'static str> {
    READ_NAMES.iter().map(|(name, _)| *name)
}

/// Whether a directory walk takes the file at `path`: by its extension
/// ([`walked_extensions`], any case) or its whole name ([`read_file_names`]).
pub fn is_walked(path: &Path) -> bool {
    let by_name = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| read_file_names().any(|r| r == n));
    by_name
        || path
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| walked_extensions().any(|r| r.eq_ignore_ascii_case(x)))
}

/// `.json`, `.yaml`, `.yml`, `.tf` or `.template`, for messages.
pub fn read_extensions_text() -> String {
    let all: Vec<String> = read_extensions().map(|e| format!("`.{e}`")).collect();
    match all.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => all.concat(),
    }
}

pub const UTF8_BOM: &[u8] = b"\xef\xbb\xbf";

/// A Unicode encoding other than UTF-8, which neither the AWS CLI nor
/// CloudFormation reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WideEncoding {
    Utf16Le,
    Utf16Be,
    Utf32Le,
    Utf32Be,
}

impl WideEncoding {
    /// By byte order mark, or by the zero bytes around the first ASCII
    /// characters (RFC 4627's method): JSON and YAML start with ASCII.
    pub fn detect(bytes: &[u8]) -> Option<(WideEncoding, usize)> {
        use WideEncoding::*;
        let marked = match bytes {
            [0xff, 0xfe, 0, 0, ..] => Some((Utf32Le, 4)),
            [0, 0, 0xfe, 0xff, ..] => Some((Utf32Be, 4)),
            [0xff, 0xfe, ..] => Some((Utf16Le, 2)),
            [0xfe, 0xff, ..] => Some((Utf16Be, 2)),
            _ => None,
        };
        marked.or(match bytes {
            [0, 0, 0, a, ..] if *a != 0 => Some((Utf32Be, 0)),
            [a, 0, 0, 0, ..] if *a != 0 => Some((Utf32Le, 0)),
            [0, a, 0, b, ..] if *a != 0 && *b != 0 => Some((Utf16Be, 0)),
            [a, 0, b, 0, ..] if *a != 0 && *b != 0 => Some((Utf16Le, 0)),
            _ => None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            WideEncoding::Utf16Le => "UTF-16 (little-endian)",
            WideEncoding::Utf16Be => "UTF-16 (big-endian)",
            WideEncoding::Utf32Le => "UTF-32 (little-endian)",
            WideEncoding::Utf32Be => "UTF-32 (big-endian)",
        }
    }

    pub fn decode(self, bytes: &[u8]) -> String {
        match self {
            WideEncoding::Utf16Le | WideEncoding::Utf16Be => {
                let units = bytes.chunks_exact(2).map(|c| match self {
                    WideEncoding::Utf16Le => u16::from_le_bytes([c[0], c[1]]),
                    _ => u16::from_be_bytes([c[0], c[1]]),
                });
                char::decode_utf16(units)
                    .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                    .collect()
            }
            WideEncoding::Utf32Le | WideEncoding::Utf32Be => bytes
                .chunks_exact(4)
                .map(|c| {
                    let b = [c[0], c[1], c[2], c[3]];
                    let unit = if self == WideEncoding::Utf32Le {
                        u32::from_le_bytes(b)
                    } else {
                        u32::from_be_bytes(b)
                    };
                    char::from_u32(unit).unwrap_or(char::REPLACEMENT_CHARACTER)
                })
                .collect(),
        }
    }
}
