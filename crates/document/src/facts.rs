//! AWS facts, loaded once from the data files embedded at build time:
//! field patterns and quotas from the schema, Regions from `data/regions.json`,
//! documentation placeholders from `data/placeholders.json`, CloudFormation's
//! intrinsic functions from `data/cloudformation-intrinsics.json`. Nothing here
//! hard-codes a number or a list.

use regex::Regex;
use serde::Deserialize;
use serde_json::Value;
use std::sync::OnceLock;

pub const API_SCHEMA: &str = include_str!("../../../schemas/replication-configuration.schema.json");
pub const CFN_SCHEMA: &str = include_str!("../../../schemas/cloudformation-replication-configuration.schema.json");
pub const TERRAFORM_SCHEMA: &str = include_str!("../../../schemas/terraform-replication-configuration.schema.json");
pub const PULUMI_SCHEMA: &str = include_str!("../../../schemas/pulumi-replication-configuration.schema.json");
const REGIONS: &str = include_str!("../../../data/regions.json");
const PLACEHOLDERS: &str = include_str!("../../../data/placeholders.json");
const INTRINSICS: &str = include_str!("../../../data/cloudformation-intrinsics.json");
pub const POLICY_SCHEMA: &str = include_str!("../../../schemas/registry-policy.schema.json");
pub const TEMPLATE_SCHEMA: &str = include_str!("../../../schemas/repository-creation-template.schema.json");
const REGISTRY_POLICY: &str = include_str!("../../../data/registry-policy.json");
const ECR_ACTIONS: &str = include_str!("../../../data/ecr-actions.json");
pub const ACCOUNT_SETTING_SCHEMA: &str = include_str!("../../../schemas/account-setting.schema.json");

pub struct Facts {
    pub region_pattern: Pattern,
    pub registry_id_pattern: Pattern,
    pub filter_pattern: Pattern,
    pub filter_min_len: usize,
    pub filter_max_len: usize,
    pub filter_types: Vec<String>,
    pub max_unique_destinations: usize,
    pub partitions: Vec<Partition>,
    /// (key, Region name, partition index, region index), sorted by key
    /// (see [`region_key`]): a binary search on integers, where comparing
    /// names called `memcmp` at every step (3 % of a 1 MB file's check).
    region_index: Vec<(u128, String, usize, usize)>,
    pub placeholder_accounts: Vec<String>,
    pub placeholder_words: Vec<String>,
    /// Which lengths (bit `min(len, 63)`) and first bytes (either case) the
    /// placeholder words have: most values are none of them, and comparing
    /// each with every word was a third of `placeholder`'s cost.
    word_lengths: u64,
    word_firsts: [bool; 256],
    /// An empty stem occurs in every value.
    caps_stem_empty: bool,
    /// The bytes a stem starts with.
    caps_stem_firsts: [bool; 256],
    pub placeholder_caps_stems: Vec<String>,
    /// CloudFormation's intrinsic functions, by long-form key (`Fn::Sub`).
    pub intrinsic_functions: Vec<String>,
    /// CloudFormation's pseudo parameters (`AWS::Region`).
    pub pseudo_parameters: Vec<String>,
    /// What a registry permissions policy may say (`data/registry-policy.json`).
    pub registry_policy: RegistryPolicyFacts,
    /// What only a policy's rules need: read on first use, so that a run
    /// with no policy does not parse them (a fifth of a small file's start-up).
    policy_words: OnceLock<PolicyWords>,
}

/// The words a registry policy may use.
pub struct PolicyWords {
    /// Every IAM action of ECR, with the access it gives (`data/ecr-actions.json`).
    pub ecr_actions: EcrActions,
    /// A policy statement's `Effect` values, and the policy `Version`s
    /// (`schemas/registry-policy.schema.json`).
    pub effects: Vec<String>,
    pub versions: Vec<String>,
    /// The registry's account settings and the values each takes
    /// (`schemas/account-setting.schema.json`).
    pub account_settings: Vec<AccountSetting>,
}

/// An account setting (`REGISTRY_POLICY_SCOPE`) and its values.
pub struct AccountSetting {
    pub name: String,
    pub values: Vec<String>,
}

/// The settings of `schemas/account-setting.schema.json`: its name enum,
/// each with the value enum of the `allOf` branch for that name.
fn account_settings() -> Result<Vec<AccountSetting>, String> {
    let schema: Value = serde_json::from_str(ACCOUNT_SETTING_SCHEMA).map_err(|e| e.to_string())?;
    let strings = |v: &Value| -> Option<Vec<String>> {
        v.as_array()
            .map(|items| items.iter().filter_map(|i| i.as_str().map(str::to_string)).collect())
    };
    let names = strings(&schema["$defs"]["settingName"]["enum"]).ok_or("account settings: no name enum")?;
    let branches = schema["$defs"]["terraformAccountSetting"]["allOf"]
        .as_array()
        .ok_or("account settings: no allOf")?;
    names
        .into_iter()
        .map(|name| {
            let values = branches
                .iter()
                .find(|b| b["if"]["properties"]["name"]["const"] == name.as_str())
                .and_then(|b| strings(&b["then"]["properties"]["value"]["enum"]))
                .ok_or_else(|| format!("account settings: no values for {name}"))?;
            Ok(AccountSetting { name, values })
        })
        .collect()
}

impl PolicyWords {
    fn load() -> Result<PolicyWords, String> {
        let ecr_actions: EcrActions = serde_json::from_str(ECR_ACTIONS).map_err(|e| e.to_string())?;
        if let Some((action, class)) = ecr_actions
            .actions
            .iter()
            .find(|(_, class)| !ecr_actions.classes.iter().any(|c| c.class == **class))
        {
            return Err(format!("ecr-actions.json: {action} has the unknown class {class}"));
        }
        let policy_schema: Value = serde_json::from_str(POLICY_SCHEMA).map_err(|e| e.to_string())?;
        let policy_enum = |path: &[&str]| -> Result<Vec<String>, String> {
            let mut v = &policy_schema["$defs"];
            for p in path {
                v = &v[p];
            }
            v["enum"]
                .as_array()
                .map(|items| items.iter().filter_map(|i| i.as_str().map(str::to_string)).collect())
                .ok_or_else(|| format!("registry policy schema: no enum at {}", path.join("/")))
        };
        Ok(PolicyWords {
            ecr_actions,
            effects: policy_enum(&["statement", "properties", "Effect"])?,
            versions: policy_enum(&["registryPolicy", "properties", "Version"])?,
            account_settings: account_settings()?,
        })
    }
}

/// What a registry permissions policy may say, from `data/registry-policy.json`.
#[derive(Deserialize)]
pub struct RegistryPolicyFacts {
    /// The account setting that holds the scope (`REGISTRY_POLICY_SCOPE`).
    pub scope_setting: String,
    /// The only actions PutRegistryPolicy accepts under scope V1 (compared without case).
    pub v1_actions: Vec<String>,
    /// PutRegistryPolicy's longest `policyText`, in characters.
    pub policy_text_max_length: usize,
    /// Condition keys that narrow a grant to `*` to an organisation or account.
    pub narrowing_condition_keys: Vec<String>,
    /// The action replication needs in the destination registry.
    pub replication_action: String,
    /// The action that lets replication create missing repositories.
    pub create_repository_action: String,
    /// Every ECR action (a broad grant).
    pub all_actions: String,
    /// The service of a repository ARN (`ecr`).
    pub resource_service: String,
    /// What a repository ARN's resource starts with (`repository/`).
    pub resource_prefix: String,
    /// The service of a principal ARN (`iam`).
    pub principal_service: String,
    /// The resource of an account principal ARN (`root`).
    pub account_principal_resource: String,
}

impl RegistryPolicyFacts {
    /// Whether a registry policy of scope V1 may hold `action` (IAM action
    /// names are case-insensitive).
    pub fn v1_allows_action(&self, action: &str) -> bool {
        self.v1_actions.iter().any(|a| a.eq_ignore_ascii_case(action))
    }
}

/// Every IAM action of ECR, from `data/ecr-actions.json`.
#[derive(Deserialize)]
pub struct EcrActions {
    /// The service prefix of ECR's actions (`ecr`).
    pub service_prefix: String,
    /// The access classes, in the order messages list them.
    pub classes: Vec<AccessClass>,
    /// Action name without the prefix (`BatchGetImage`) → its access class.
    pub actions: std::collections::BTreeMap<String, String>,
}

/// A kind of access an action gives.
#[derive(Deserialize)]
pub struct AccessClass {
    pub class: String,
    /// What it lets a principal do, as a verb phrase whose object is the
    /// registry ("pull images from").
    pub opens: String,
}

impl EcrActions {
    /// The access class of an action name without its prefix, any case.
    pub fn class_of(&self, name: &str) -> Option<&str> {
        self.actions
            .iter()
            .find(|(a, _)| a.eq_ignore_ascii_case(name))
            .map(|(_, class)| class.as_str())
    }

    /// The actions (without prefix) an IAM action pattern's name part
    /// (`Get*`, `BatchGetImage`, `*`) matches, compared without case.
    pub fn matching<'s>(&'s self, pattern: &'s str) -> impl Iterator<Item = &'s str> + 's {
        self.actions
            .keys()
            .filter(move |a| crate::text::wildcard_match_ignore_case(pattern, a))
            .map(String::as_str)
    }
}

/// Why a value is a placeholder rather than a setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placeholder {
    /// `$VAR` or `${VAR}`: shell, envsubst, Terraform templatefile, `Fn::Sub` syntax.
    DollarVariable,
    /// `{{ var }}`: Helm, Jinja, Go templates, Ansible.
    BracesVariable,
    /// `%VAR%`: Windows batch.
    PercentVariable,
    /// `<ACCOUNT_ID>`, `ACCOUNT_ID`, `string`: a word to replace by hand.
    Word,
}

/// A field's pattern from the schema. `^[class]{m,n}$` (the Region and
/// account ID patterns) is a byte scan; any other is a regex compiled on
/// first use: compiling the three at start-up was 9.5 % of a one-file run,
/// and a byte scan is a few instructions where the regex engine's search
/// takes a few hundred.
pub enum Pattern {
    Class {
        source: String,
        /// Which ASCII bytes the class allows; no other byte matches.
        allowed: [bool; 128],
        min: usize,
        max: usize,
    },
    /// The repository filter's pattern, [`REPOSITORY_PREFIX`]: one pass
    /// over the bytes. Compiling it as a regex was 5 % of a small file's
    /// run, and matching with it 2 % of a 10 MB file's (callgrind).
    RepositoryPrefix,
    Regex(String, OnceLock<Regex>),
}

/// A repository-name prefix as the schema writes it: `/`-separated names of
/// lower-case letters, digits and `.`, `_`, `-`, each name before a `/`
/// starting with a letter or digit (the last may be empty or partial).
const REPOSITORY_PREFIX: &str = "^(?:[a-z0-9]+(?:[._-][a-z0-9]*)*/)*[a-z0-9]*(?:[._-][a-z0-9]*)*$";

fn is_repository_prefix(text: &str) -> bool {
    // Whether the current name is empty, starts with a letter or digit, or
    // with a separator (then no `/` may follow it).
    let mut starts_plain = None;
    for b in text.bytes() {
        match b {
            b'a'..=b'z' | b'0'..=b'9' => {
                starts_plain.get_or_insert(true);
            }
            b'.' | b'_' | b'-' => {
                starts_plain.get_or_insert(false);
            }
            b'/' if starts_plain == Some(true) => starts_plain = None,
            _ => return false,
        }
    }
    true
}

impl Pattern {
    pub fn new(pattern: &str) -> Pattern {
        if pattern == REPOSITORY_PREFIX {
            return Pattern::RepositoryPrefix;
        }
        Pattern::class(pattern).unwrap_or_else(|| Pattern::Regex(pattern.to_string(), OnceLock::new()))
    }

    /// `^[…]{n}$` or `^[…]{m,n}$` whose class holds only ASCII letters,
    /// digits, `_`, `.` and ranges of them, and `-` first or last.
    fn class(pattern: &str) -> Option<Pattern> {
        let rest = pattern.strip_prefix("^[")?;
        let (class, rest) = rest.split_once("]{")?;
        let (count, tail) = rest.split_once('}')?;
        if tail != "$" {
            return None;
        }
        let (min, max) = match count.split_once(',') {
            Some((min, max)) => (min.parse().ok()?, max.parse().ok()?),
            None => (count.parse().ok()?, count.parse().ok()?),
        };
        let plain = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'.';
        let bytes = class.as_bytes();
        let mut allowed = [false; 128];
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            match bytes.get(i + 1..i + 3) {
                Some(&[b'-', to]) if plain(b) && plain(to) && b <= to => {
                    (b..=to).for_each(|c| allowed[usize::from(c)] = true);
                    i += 3;
                    continue;
                }
                _ if plain(b) || (b == b'-' && (i == 0 || i + 1 == bytes.len())) => allowed[usize::from(b)] = true,
                _ => return None,
            }
            i += 1;
        }
        (min <= max).then(|| Pattern::Class {
            source: pattern.to_string(),
            allowed,
            min,
            max,
        })
    }

    /// The pattern as the schema writes it.
    pub fn as_str(&self) -> &str {
        match self {
            Pattern::Class { source, .. } | Pattern::Regex(source, _) => source,
            Pattern::RepositoryPrefix => REPOSITORY_PREFIX,
        }
    }

    pub fn is_match(&self, text: &str) -> bool {
        match self {
            Pattern::Class { allowed, min, max, .. } => {
                (*min..=*max).contains(&text.len())
                    && text
                        .bytes()
                        .all(|b| allowed.get(usize::from(b)).copied().unwrap_or(false))
            }
            Pattern::RepositoryPrefix => is_repository_prefix(text),
            Pattern::Regex(pattern, regex) => regex
                .get_or_init(|| Regex::new(pattern).expect("embedded schema patterns compile (checked by tests)"))
                .is_match(text),
        }
    }
}

pub struct Partition {
    pub id: String,
    pub name: String,
    /// The pattern of the partition's Region names, compiled on first use:
    /// only a Region name that is not a known Region needs it, and
    /// compiling every partition's at start-up was a sixth of a small run.
    region_pattern: String,
    region_regex: OnceLock<Regex>,
    pub regions: Vec<RegionInfo>,
}

impl Partition {
    pub fn region_regex(&self) -> &Regex {
        self.region_regex.get_or_init(|| {
            // Region names are ASCII; ASCII `\w` compiles ten times faster
            // than Unicode's, which matters for a per-save editor run.
            regex::RegexBuilder::new(&self.region_pattern)
                .unicode(false)
                .build()
                .expect("embedded Region patterns compile (checked by tests)")
        })
    }
}

#[derive(Deserialize)]
pub struct RegionInfo {
    pub region: String,
    pub name: String,
    /// `None` outside the `aws` partition, where opt-in does not apply.
    pub opt_in: Option<bool>,
    /// Whether Amazon ECR runs there (botocore lists a few Regions before
    /// their ECR endpoint exists).
    pub ecr: bool,
}

#[derive(Deserialize)]
struct RegionsFile {
    partitions: Vec<PartitionFile>,
}

#[derive(Deserialize)]
struct PartitionFile {
    partition: String,
    name: String,
    region_regex: String,
    regions: Vec<RegionInfo>,
}

/// What the facts take from the API schema: typed, so that the rest of the
/// file is skipped rather than built into a `Value` at every start.
#[derive(Deserialize)]
struct ApiSchemaFacts {
    #[serde(rename = "$defs")]
    defs: ApiDefs,
    #[serde(rename = "x-ecrlint-quotas")]
    quotas: ApiQuotas,
}

#[derive(Deserialize)]
struct ApiDefs {
    region: PatternDef,
    #[serde(rename = "registryId")]
    registry_id: PatternDef,
    filter: FilterDef,
    #[serde(rename = "filterType")]
    filter_type: EnumDef,
}

#[derive(Deserialize)]
struct PatternDef {
    pattern: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FilterDef {
    pattern: String,
    min_length: usize,
    max_length: usize,
}

#[derive(Deserialize)]
struct EnumDef {
    #[serde(rename = "enum")]
    values: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ApiQuotas {
    max_unique_destinations: usize,
}

#[derive(Deserialize)]
struct IntrinsicsFile {
    functions: Vec<String>,
    pseudo_parameters: Vec<String>,
}

#[derive(Deserialize)]
struct PlaceholdersFile {
    accounts: Vec<String>,
    words: Vec<String>,
    caps_stems: Vec<String>,
}

pub fn facts() -> &'static Facts {
    static FACTS: OnceLock<Facts> = OnceLock::new();
    FACTS.get_or_init(|| Facts::load().expect("embedded data files are valid (checked by tests)"))
}

impl Facts {
    fn load() -> Result<Facts, String> {
        let api: ApiSchemaFacts = serde_json::from_str(API_SCHEMA).map_err(|e| format!("API schema: {e}"))?;
        let defs = api.defs;
        let regions: RegionsFile = serde_json::from_str(REGIONS).map_err(|e| e.to_string())?;
        let partitions = regions
            .partitions
            .into_iter()
            .map(|p| Partition {
                region_pattern: p.region_regex,
                region_regex: OnceLock::new(),
                id: p.partition,
                name: p.name,
                regions: p.regions,
            })
            .collect::<Vec<_>>();
        let placeholders: PlaceholdersFile = serde_json::from_str(PLACEHOLDERS).map_err(|e| e.to_string())?;
        let intrinsics: IntrinsicsFile = serde_json::from_str(INTRINSICS).map_err(|e| e.to_string())?;
        let registry_policy: RegistryPolicyFacts = serde_json::from_str(REGISTRY_POLICY).map_err(|e| e.to_string())?;

        let mut region_index: Vec<_> = partitions
            .iter()
            .enumerate()
            .flat_map(|(p, part)| {
                part.regions
                    .iter()
                    .enumerate()
                    .map(move |(r, info)| (region_key(&info.region), info.region.clone(), p, r))
            })
            .collect();
        region_index.sort();
        Ok(Facts {
            region_index,
            region_pattern: Pattern::new(&defs.region.pattern),
            registry_id_pattern: Pattern::new(&defs.registry_id.pattern),
            filter_pattern: Pattern::new(&defs.filter.pattern),
            filter_min_len: defs.filter.min_length,
            filter_max_len: defs.filter.max_length,
            filter_types: defs.filter_type.values,
            max_unique_destinations: api.quotas.max_unique_destinations,
            partitions,
            placeholder_accounts: placeholders.accounts,
            word_lengths: placeholders.words.iter().fold(0, |m, w| m | 1 << w.len().min(63)),
            word_firsts: {
                let mut firsts = [false; 256];
                for b in placeholders.words.iter().filter_map(|w| w.bytes().next()) {
                    for c in [b, b.to_ascii_lowercase(), b.to_ascii_uppercase()] {
                        firsts[usize::from(c)] = true;
                    }
                }
                firsts
            },
            placeholder_words: placeholders.words,
            caps_stem_empty: placeholders.caps_stems.iter().any(String::is_empty),
            caps_stem_firsts: {
                let mut firsts = [false; 256];
                for b in placeholders.caps_stems.iter().filter_map(|s| s.bytes().next()) {
                    firsts[usize::from(b)] = true;
                }
                firsts
            },
            placeholder_caps_stems: placeholders.caps_stems,
            intrinsic_functions: intrinsics.functions,
            pseudo_parameters: intrinsics.pseudo_parameters,
            registry_policy,
            policy_words: OnceLock::new(),
        })
    }

    /// The words a registry policy may use (read on first use).
    pub fn policy_words(&self) -> &PolicyWords {
        self.policy_words
            .get_or_init(|| PolicyWords::load().expect("embedded data files are valid (checked by tests)"))
    }

    /// The known Region and its partition.
    pub fn region(&self, name: &str) -> Option<(&Partition, &RegionInfo)> {
        let key = region_key(name);
        let first = self.region_index.partition_point(|(k, ..)| *k < key);
        let (_, _, p, r) = self.region_index[first..]
            .iter()
            .take_while(|(k, ..)| *k == key)
            .find(|(_, n, ..)| n == name)?;
        Some((&self.partitions[*p], &self.partitions[*p].regions[*r]))
    }

    /// The partition a Region name belongs to: known Regions first, then the
    /// partitions' name patterns (most specific first: `us-gov-…` is not `aws`).
    pub fn partition_of(&self, name: &str) -> Option<&Partition> {
        if let Some((p, _)) = self.region(name) {
            return Some(p);
        }
        self.partitions
            .iter()
            .filter(|p| p.region_regex().is_match(name))
            .max_by_key(|p| p.region_pattern.len())
    }

    /// The partition with this ID (`aws`, `aws-cn`).
    pub fn partition(&self, id: &str) -> Option<&Partition> {
        self.partitions.iter().find(|p| p.id == id)
    }

    pub fn known_regions(&self) -> impl Iterator<Item = &str> {
        self.partitions
            .iter()
            .flat_map(|p| p.regions.iter().map(|r| r.region.as_str()))
    }

    /// A documentation example account: listed in the data file, or one digit
    /// repeated twelve times.
    pub fn is_placeholder_account(&self, id: &str) -> bool {
        let first = id.as_bytes().first();
        self.placeholder_accounts.iter().any(|a| a == id) || (!id.is_empty() && id.bytes().all(|b| Some(&b) == first))
    }

    /// Whether a value is a placeholder: it holds a template variable, or
    /// is a word to replace (`<ACCOUNT_ID>`, `ACCOUNT_ID`, `string`).
    ///
    /// Asked once for every scalar of a file: one pass over the bytes tells
    /// which marks are there at all, and only those tests run. (Searching
    /// every value for each form, with a `memcmp` per position, was 1,290
    /// instructions a value: 13.7 % of a 1 MB file's check.)
    pub fn placeholder(&self, value: &str) -> Option<Placeholder> {
        let v = value.trim();
        // (What `trim` drops is whitespace, none of these marks.)
        let (mut any, mut all) = (0u8, u8::MAX);
        for &b in v.as_bytes() {
            let class = CLASS[usize::from(b)];
            any |= class;
            all &= class;
        }
        if any & DOLLAR != 0 && has_dollar_variable(value) {
            return Some(Placeholder::DollarVariable);
        }
        let bytes = value.as_bytes();
        if any & BRACE != 0 && find(bytes, b"{{").is_some_and(|open| find(&bytes[open..], b"}}").is_some()) {
            return Some(Placeholder::BracesVariable);
        }
        let percent = v.len() > 2 && v.starts_with('%') && v.ends_with('%');
        if percent
            && v[1..v.len() - 1]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            return Some(Placeholder::PercentVariable);
        }
        let angle = v.len() > 2 && v.starts_with('<') && v.ends_with('>');
        // `ACCOUNT_ID`, `DR-ACCOUNT-ID`, `DEST_REGION_2`: upper case with a stem.
        let caps = v.len() > 2 && any & UPPER != 0 && all & CAPS != 0 && self.has_caps_stem(v.as_bytes());
        // Compared without allocating.
        let word = || {
            self.word_lengths & 1 << v.len().min(63) != 0
                && v.bytes().next().is_none_or(|b| self.word_firsts[usize::from(b)])
                && self.placeholder_words.iter().any(|w| w.eq_ignore_ascii_case(v))
        };
        if angle || caps || word() || (any & MASK != 0 && is_masked_account(v)) {
            return Some(Placeholder::Word);
        }
        None
    }

    /// Whether one of the upper-case stems occurs in `v`: stems are tried
    /// only where a byte starts one.
    ///
    /// A position whose byte starts no stem is passed over with one table
    /// look-up: trying each stem at each position of every upper-case value
    /// (`PREFIX_MATCH`) made `placeholder` 640 instructions a value, 370 now.
    fn has_caps_stem(&self, v: &[u8]) -> bool {
        let stems = &self.placeholder_caps_stems;
        self.caps_stem_empty
            || (0..v.len()).any(|i| {
                self.caps_stem_firsts[usize::from(v[i])]
                    && stems.iter().any(|s| {
                        let s = s.as_bytes();
                        s[0] == v[i] && v.len() - i >= s.len() && v[i..i + s.len()].iter().zip(s).all(|(a, b)| a == b)
                    })
            })
    }
}

/// What a byte may be part of, for [`Facts::placeholder`]'s single pass.
const DOLLAR: u8 = 1;
const BRACE: u8 = 2;
/// `x` or `X`, which a masked account ID holds.
const MASK: u8 = 4;
const UPPER: u8 = 8;
/// What an upper-case placeholder word is made of: `A`–`Z`, digits, `_`, `-`.
const CAPS: u8 = 16;

const CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = match c {
            b'$' => DOLLAR,
            b'{' => BRACE,
            b'x' => MASK,
            b'X' => MASK | UPPER | CAPS,
            b'A'..=b'Z' => UPPER | CAPS,
            b'0'..=b'9' | b'_' | b'-' => CAPS,
            _ => 0,
        };
        b += 1;
    }
    table
};

/// A Region name as an integer that sorts as the name does among names of
/// up to 16 bytes (its first 16 bytes, zero-padded, big-endian); longer
/// names share keys, and [`Facts::region`] compares names within a key.
fn region_key(name: &str) -> u128 {
    let bytes = &name.as_bytes()[..name.len().min(16)];
    let mut key = [0u8; 16];
    key[..bytes.len()].copy_from_slice(bytes);
    u128::from_be_bytes(key)
}

/// An account ID with digits masked: `xxxxxxxxxxxx`, `1234-xxxx-xxxx`.
fn is_masked_account(value: &str) -> bool {
    let (mut kept, mut masked) = (0, false);
    for b in value.bytes().filter(|b| !matches!(b, b'-' | b' ')) {
        match b {
            b'x' | b'X' => masked = true,
            b'0'..=b'9' => {}
            _ => return false,
        }
        kept += 1;
    }
    kept == 12 && masked
}

/// Where `needle` first occurs in `haystack`, compared byte by byte: the
/// values and needles here are a few bytes long, too short for a searcher
/// or a `memcmp` call per position to pay.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let Some((&first, rest)) = needle.split_first() else {
        return Some(0);
    };
    let last = haystack.len().checked_sub(needle.len())?;
    (0..=last)
        .find(|&i| haystack[i] == first && haystack[i + 1..i + needle.len()].iter().zip(rest).all(|(a, b)| a == b))
}

/// `$NAME` or `${...}`: a dollar sign before a name or a brace. (The byte
/// after `$` decides: a character that is not ASCII never qualifies.)
fn has_dollar_variable(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| {
        b == b'$'
            && bytes
                .get(i + 1)
                .is_some_and(|&c| c == b'{' || c == b'(' || c == b'_' || c.is_ascii_alphabetic())
    })
}

/// What a repository creation template may say, from
/// `schemas/repository-creation-template.schema.json`.
pub struct TemplateFacts {
    /// A full KMS key ARN, as `kmsKey` must be.
    pub kms_key_pattern: Regex,
    /// Encryption types offered only in some partitions (`KMS_DSSE`: GovCloud).
    pub encryption_partitions: Vec<(String, Vec<String>)>,
}

pub fn template_facts() -> &'static TemplateFacts {
    static FACTS: OnceLock<TemplateFacts> = OnceLock::new();
    FACTS.get_or_init(|| TemplateFacts::load().expect("embedded data files are valid (checked by tests)"))
}

impl TemplateFacts {
    fn load() -> Result<TemplateFacts, String> {
        let schema: Value = serde_json::from_str(TEMPLATE_SCHEMA).map_err(|e| e.to_string())?;
        let defs = &schema["$defs"];
        let pattern = defs["kmsKey"]["pattern"].as_str().ok_or("kmsKey has no pattern")?;
        let partitions = defs["encryptionType"]["x-ecrlint-partitions"]
            .as_object()
            .ok_or("encryptionType has no x-ecrlint-partitions")?;
        let encryption_partitions = partitions
            .iter()
            .filter_map(|(ty, ids)| {
                let ids = ids.as_array()?.iter().filter_map(|i| i.as_str().map(str::to_string));
                Some((ty.clone(), ids.collect()))
            })
            .collect();
        Ok(TemplateFacts {
            kms_key_pattern: Regex::new(pattern).map_err(|e| e.to_string())?,
            encryption_partitions,
        })
    }

    /// The partitions `encryption_type` is offered in (`None`: every one).
    pub fn partitions_for(&self, encryption_type: &str) -> Option<&[String]> {
        self.encryption_partitions
            .iter()
            .find(|(t, _)| t == encryption_type)
            .map(|(_, ids)| ids.as_slice())
    }
}

/// The parts of a KMS key ARN (`arn:aws:kms:us-west-2:109876543210:key/…`).
pub struct KmsKeyArn<'a> {
    pub partition: &'a str,
    pub region: &'a str,
    pub account: &'a str,
}

impl<'a> KmsKeyArn<'a> {
    /// The key ARN's parts, when `text` is a full key ARN.
    pub fn parse(text: &'a str) -> Option<KmsKeyArn<'a>> {
        if text.is_empty() || !template_facts().kms_key_pattern.is_match(text) {
            return None;
        }
        let mut parts = text.splitn(6, ':');
        let (_, partition, _, region, account) = (
            parts.next()?,
            parts.next()?,
            parts.next()?,
            parts.next()?,
            parts.next()?,
        );
        Some(KmsKeyArn {
            partition,
            region,
            account,
        })
    }
}

#[cfg(test)]
mod tests {
    /// The repository-prefix matcher says what the schema's regex says, on
    /// the edges and on random strings of the bytes that matter.
    #[test]
    fn repository_prefix_matches_as_its_regex() {
        let regex = regex::Regex::new(super::REPOSITORY_PREFIX).unwrap();
        for text in [
            "",
            "prod/",
            "/",
            "a//b",
            "-a",
            "-a/b",
            "a-/b",
            "a/.b",
            "a/b/",
            "A/",
            "a b",
            "é",
            "prod/team-a/svc_1.x",
        ] {
            assert_eq!(super::is_repository_prefix(text), regex.is_match(text), "{text:?}");
        }
        proptest::proptest!(|(text in "[a-c0-1._/A -]{0,12}")| {
            proptest::prop_assert_eq!(super::is_repository_prefix(&text), regex.is_match(&text), "{:?}", text);
        });
    }

    #[test]
    fn every_embedded_data_file_loads() {
        let facts = super::Facts::load().unwrap();
        let words = super::PolicyWords::load().unwrap();
        assert!(facts.region("us-east-1").is_some());
        // The patterns are read as meant: the filter's is the schema's as
        // the hand-written matcher knows it (a changed schema must change it).
        assert!(matches!(facts.filter_pattern, super::Pattern::RepositoryPrefix));
        assert!(matches!(facts.region_pattern, super::Pattern::Class { .. }));
        assert!(matches!(facts.registry_id_pattern, super::Pattern::Class { .. }));
        assert!(facts.filter_pattern.is_match("team-a/svc_1.x"));
        assert!(!facts.filter_pattern.is_match("Team/"));
        assert!(words.effects.iter().any(|e| e == "Allow"));
        assert!(!words.ecr_actions.actions.is_empty());
    }

    /// Every known Region is found by its name, and nothing else is: names
    /// that share a key's bytes (a NUL, a longer name) included.
    #[test]
    fn regions_are_found_by_name_only() {
        let facts = super::Facts::load().unwrap();
        for (p, partition) in facts.partitions.iter().enumerate() {
            for region in &partition.regions {
                let (found, info) = facts.region(&region.region).unwrap();
                assert_eq!(
                    (found.id.as_str(), info.region.as_str()),
                    (partition.id.as_str(), region.region.as_str())
                );
                assert!(std::ptr::eq(found, &facts.partitions[p]));
                for other in [
                    format!("{}\0", region.region),
                    format!("{}-x", region.region),
                    region.region[1..].to_string(),
                ] {
                    assert!(facts.region(&other).is_none(), "{other:?}");
                }
            }
        }
        for name in [
            "",
            "us-east-10",
            "US-EAST-1",
            "us-isof-south-1-and-more-x",
            "ap-southeast-55",
        ] {
            assert!(facts.region(name).is_none(), "{name:?}");
        }
    }

    /// A class pattern matches what the regex engine matches: the schema's
    /// Region and account ID patterns and a few other forms, on strings of
    /// every length around the bounds and of bytes in and out of the class.
    #[test]
    fn class_patterns_match_as_the_regex_engine_does() {
        let schema: serde_json::Value = serde_json::from_str(super::API_SCHEMA).unwrap();
        let of = |def: &str| schema["$defs"][def]["pattern"].as_str().unwrap().to_string();
        let mut patterns = vec![of("region"), of("registryId")];
        patterns.extend(["^[a-c_.-]{0,3}$", "^[-x0-2]{2}$", "^[A-Z]{1,2}$"].map(String::from));
        let alphabet = [
            "a", "c", "d", "z", "0", "2", "9", "-", "_", ".", "A", "Z", " ", "é", "\n", "x",
        ];
        let mut seed: u64 = 11;
        for p in &patterns {
            let ours = super::Pattern::new(p);
            assert!(matches!(ours, super::Pattern::Class { .. }), "{p}");
            let regex = regex::Regex::new(p).unwrap();
            for _ in 0..20_000 {
                seed = seed
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                let len = (seed >> 59) as usize % 28;
                let text: String = (0..len)
                    .map(|k| alphabet[((seed >> (k % 50)) as usize).wrapping_add(k * 7) % alphabet.len()])
                    .collect();
                assert_eq!(ours.is_match(&text), regex.is_match(&text), "{p} on {text:?}");
            }
        }
        // Anything else is left to the regex engine.
        for p in [
            "^[^a]{2}$",
            "[a-z]{2}$",
            "^[a-z]{2}",
            "^[a\\d]{2}$",
            "^[a-z]+$",
            "^[z-a]{2}$",
            "^[a-z]{3,2}$",
        ] {
            assert!(matches!(super::Pattern::new(p), super::Pattern::Regex(..)), "{p}");
        }
    }

    /// The single pass and the byte scans give the verdicts the substring
    /// searches gave, at the edges too (a pair at the very end, a dollar
    /// last, non-ASCII, surrounding whitespace).
    #[test]
    fn placeholder_verdicts() {
        use super::Placeholder::*;
        let facts = super::Facts::load().unwrap();
        let cases: &[(&str, Option<super::Placeholder>)] = &[
            ("us-west-2", None),
            ("PREFIX_MATCH", None),
            ("prod/", None),
            ("210987654321", None),
            ("$ACCOUNT", Some(DollarVariable)),
            ("a${b}", Some(DollarVariable)),
            ("$(cmd)", Some(DollarVariable)),
            (" $x ", Some(DollarVariable)),
            ("cost$", None),
            ("$1", None),
            ("$é", None),
            ("{{ region }}", Some(BracesVariable)),
            ("x{{a}}", Some(BracesVariable)),
            ("}}{{", None),
            ("{{ open", None),
            ("{", None),
            ("%REGION%", Some(PercentVariable)),
            (" %REGION% ", Some(PercentVariable)),
            ("%a b%", None),
            ("<ACCOUNT_ID>", Some(Word)),
            ("DEST_REGION_2", Some(Word)),
            ("DR-ACCOUNT-ID", Some(Word)),
            ("  ACCOUNT_ID\u{a0}", Some(Word)),
            ("ACCOUNT ID", None),
            ("ACCOUN", None),
            ("ENV", Some(Word)),
            ("EN", None),
            ("xENV", None),
            ("Region", Some(Word)),
            ("FILTERTYPE", Some(Word)),
            (" registry_id ", Some(Word)),
            ("Destination_AccountId", Some(Word)),
            ("xregion", None),
            ("egion", None),
            ("", None),
            ("STRING", Some(Word)),
            ("xxxxxxxxxxxx", Some(Word)),
            ("1234-xxxx-XXXX", Some(Word)),
            ("1234 5678 xxxx", Some(Word)),
            ("xxxxxxxxxxx", None),
            ("xxxxxxxxxxxxx", None),
            ("xxxxxxxxxxxé", None),
        ];
        for (value, expected) in cases {
            assert_eq!(facts.placeholder(value), *expected, "{value:?}");
        }
        assert_eq!(super::find(b"abcabd", b"abd"), Some(3));
        assert_eq!(super::find(b"ab", b"abc"), None);
        assert_eq!(super::find(b"", b""), Some(0));
        assert_eq!(super::find(b"}}", b"}}"), Some(0));
    }
}

const REPOSITORY: &str = include_str!("../../../data/repository.json");

/// The settings replication does not copy, from `data/repository.json`.
#[derive(Deserialize)]
pub struct RepositorySettings {
    pub tag_mutability: TagMutabilityFacts,
    pub encryption: EncryptionFacts,
    pub creation_template: CreationTemplateFacts,
}

/// How ECR picks the creation template of a repository it creates.
#[derive(Deserialize)]
pub struct CreationTemplateFacts {
    /// The prefix of the template for every repository no other matches.
    pub root_prefix: String,
    /// What a prefix is followed by in the names it applies to.
    pub namespace_separator: String,
    /// `appliedFor`'s value for repositories that replication creates.
    pub applied_for_replication: String,
    /// The key at the top of a repository policy (JSON text in the template).
    pub repository_policy_key: String,
    /// The key at the top of a lifecycle policy (JSON text in the template).
    pub lifecycle_policy_key: String,
}

impl CreationTemplateFacts {
    /// Whether a template's prefix applies to a repository named `name`
    /// (`ROOT` aside): the namespace, with its implied separator.
    pub fn covers(&self, prefix: &str, name: &str) -> bool {
        let namespace = prefix.strip_suffix(self.namespace_separator.as_str()).unwrap_or(prefix);
        name.strip_prefix(namespace)
            .is_some_and(|rest| rest.starts_with(self.namespace_separator.as_str()))
    }

    /// The namespace a prefix names, with its separator (`prod` → `prod/`).
    pub fn namespace(&self, prefix: &str) -> String {
        let namespace = prefix.strip_suffix(self.namespace_separator.as_str()).unwrap_or(prefix);
        format!("{namespace}{}", self.namespace_separator)
    }
}

#[derive(Deserialize)]
pub struct TagMutabilityFacts {
    pub values: Vec<String>,
    /// What a repository gets when nothing says otherwise.
    pub default: String,
    /// The value under which no tag of the repository can move.
    pub every_tag_immutable: String,
    /// The immutable value that lets the tags its exclusion filters match move.
    pub with_exclusions: String,
    /// The API field of those filters.
    pub exclusion_filters: String,
}

#[derive(Deserialize)]
pub struct EncryptionFacts {
    pub values: Vec<String>,
    /// What a repository gets when nothing says otherwise.
    pub default: String,
    /// The types that encrypt with a KMS key.
    pub kms: Vec<String>,
}

/// The repository settings, read on first use.
pub fn repository_settings() -> &'static RepositorySettings {
    static SETTINGS: OnceLock<RepositorySettings> = OnceLock::new();
    SETTINGS.get_or_init(|| serde_json::from_str(REPOSITORY).expect("data/repository.json is valid"))
}
