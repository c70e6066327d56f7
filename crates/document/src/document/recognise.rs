//! Is this file meant as a replication document? Recognition errs toward
//! linting: evidence anywhere in the file counts, including the misspellings
//! the rules report, so a broken configuration is never passed over. The
//! ECR and AWS neighbours that share our words (scanning configurations,
//! lifecycle policies, S3 replication, ...) are recognised positively, from
//! one table, and left alone.

use super::dialect::{ResourceKind, REGISTRY_POLICY_RESOURCE, REPLICATION_RESOURCE};
use super::shape::Shape;
use super::shapes;
use super::shapes::shape_of;
use crate::syntax::{Member, Node, NodeKind, Span};
use crate::text::edit_distance_within;

/// What a parsed file is.
#[derive(Debug, PartialEq, Eq)]
pub enum Recognition {
    /// One of ecrlint's shapes, a replication document or a registry policy
    /// (perhaps with mistakes): lint it as this.
    Replication(&'static Shape),
    /// It mentions replication, but its top level is none of the shapes:
    /// reported in every mode, never skipped.
    Misplaced(Clue),
    /// A file of a known neighbouring kind.
    Neighbour { neighbour: &'static Neighbour, at: Span },
    /// Nothing here is about replication.
    Unrelated,
}

/// Where the evidence of a replication document was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Clue {
    pub span: Span,
    /// The replication word it stands for (`destinations`).
    pub word: &'static str,
}

/// A neighbouring kind of file, with what gives it away.
#[derive(Debug, PartialEq, Eq)]
pub struct Neighbour {
    /// What it is, as a noun phrase for messages ("an ECR lifecycle policy").
    pub name: &'static str,
    /// Where such files come from, for the message's help.
    pub source: &'static str,
    pub telltales: &'static [Telltale],
}

#[derive(Debug, PartialEq, Eq)]
pub enum Telltale {
    /// A key anywhere in the file, in any case.
    Key(&'static str),
    /// A key whose value is an object holding the second key, in any case.
    KeyHolding(&'static str, &'static str),
    /// A CloudFormation template with no replication resource.
    TemplateWithoutReplication,
    /// A Terraform configuration or plan with no replication resource or module input.
    TerraformWithoutReplication,
    /// A Terraform configuration whose only ECR module inputs are
    /// terraform-aws-modules/ecr's scanning ones.
    TerraformScanningModule,
    /// A Pulumi YAML program, project or stack's settings with no ECR resource of ours.
    PulumiWithoutReplication,
    /// A Terragrunt configuration that sets no known module's replication input.
    TerragruntWithoutReplication,
    /// A JSON Schema object (`type` beside a `properties` object): the keys
    /// under `properties` are names it describes, never evidence.
    SchemaProperties,
}

/// The neighbours, each with the keys that only it has. A replication
/// document never has them, and the few words it shares with them (`rules`,
/// `repositoryFilters`, `ReplicationConfiguration`) are never telltales.
pub static NEIGHBOURS: &[Neighbour] = &[
    Neighbour {
        name: "an ECR registry scanning configuration",
        source: "`aws ecr put-registry-scanning-configuration` and `describe-registry-scanning-configuration`",
        telltales: &[
            Telltale::Key("scanType"),
            Telltale::Key("scanFrequency"),
            Telltale::Key("scanningConfiguration"),
            Telltale::Key("scanOnPush"),
        ],
    },
    Neighbour {
        name: "an ECR lifecycle policy",
        source: "`aws ecr put-lifecycle-policy --lifecycle-policy-text`",
        telltales: &[
            Telltale::Key("rulePriority"),
            Telltale::Key("lifecyclePolicyText"),
            Telltale::Key("tagStatus"),
            Telltale::Key("countType"),
        ],
    },
    // Registry policies are ours, recognised positively before this table is
    // read (`policy::is_registry_policy`, the get-registry-policy shape);
    // every other IAM policy document stays a neighbour.
    Neighbour {
        name: "an IAM policy document with no mark of a registry policy (a repository or identity policy)",
        source: "`aws ecr set-repository-policy`, `get-repository-policy` and IAM (a registry policy without those marks, such as a V2 pull grant, is linted when its file is named like `*registry*policy*.json` or an `[[overrides]]` entry says `document = \"registry-policy\"`)",
        telltales: &[Telltale::Key("Statement"), Telltale::Key("policyText")],
    },
    Neighbour {
        name: "an ECR pull-through cache rule",
        source: "`aws ecr create-pull-through-cache-rule`",
        telltales: &[
            Telltale::Key("upstreamRegistryUrl"),
            Telltale::Key("ecrRepositoryPrefix"),
            Telltale::Key("pullThroughCacheRules"),
        ],
    },
    Neighbour {
        name: "an S3 bucket replication configuration",
        source: "`aws s3api put-bucket-replication` and `AWS::S3::Bucket`",
        telltales: &[Telltale::KeyHolding("Destination", "Bucket")],
    },
    Neighbour {
        name: "an S3 lifecycle configuration",
        source: "`aws s3api put-bucket-lifecycle-configuration`",
        telltales: &[
            Telltale::Key("Transitions"),
            Telltale::Key("NoncurrentVersionExpiration"),
            Telltale::Key("AbortIncompleteMultipartUpload"),
        ],
    },
    Neighbour {
        name: "an OpenAPI document or JSON Schema (it describes replication keys; it is not a configuration)",
        source: "API specifications (OpenAPI, AsyncAPI) and JSON Schema, where a `properties` object beside `type` describes keys",
        telltales: &[Telltale::SchemaProperties],
    },
    Neighbour {
        name: "a CloudFormation template without an `AWS::ECR::ReplicationConfiguration` or `AWS::ECR::RegistryPolicy` resource",
        source: "CloudFormation and `cdk synth`",
        telltales: &[Telltale::TemplateWithoutReplication],
    },
    Neighbour {
        name: "a Terraform configuration or plan with no aws_ecr_replication_configuration here",
        source: "Terraform (`.tf`, `.tf.json`, `terraform show -json`)",
        telltales: &[Telltale::TerraformWithoutReplication],
    },
    Neighbour {
        name: "a terraform-aws-modules/ecr registry scanning configuration (`registry_scan_rules`, `registry_scan_type`) with no replication input",
        source: "terraform-aws-modules/ecr's `manage_registry_scanning_configuration` (it creates `aws_ecr_registry_scanning_configuration`, which ecrlint does not check)",
        telltales: &[Telltale::TerraformScanningModule],
    },
    Neighbour {
        name: "a Pulumi YAML file (a program, project or stack's settings) with no aws:ecr:ReplicationConfiguration or aws:ecr:RegistryPolicy resource",
        source: "Pulumi (`Pulumi.yaml`, `Main.yaml`, `Pulumi.<stack>.yaml`)",
        telltales: &[Telltale::PulumiWithoutReplication],
    },
    Neighbour {
        name: "a Terragrunt configuration that sets no terraform-aws-modules/ecr `registry_replication_rules`",
        source: "Terragrunt (`terragrunt.hcl`)",
        telltales: &[Telltale::TerragruntWithoutReplication],
    },
];

/// The words of a replication document, with how much each one says. A file
/// is meant as one when the distinct words it uses weigh [`ENOUGH`]: one
/// word found only in replication documents, or two common ones.
const VOCABULARY: &[(&str, u32)] = &[
    ("replicationConfiguration", 4),
    ("repositoryFilters", 4),
    ("filterType", 4),
    ("deleteReplication", 4),
    ("PREFIX_MATCH", 4),
    ("destinations", 2),
    ("registryId", 2),
    ("rules", 2),
    ("region", 1),
    ("filter", 1),
];
const ENOUGH: u32 = 4;

/// The key that a replication document has and its neighbours never do: its
/// presence overrides a neighbour's telltale (S3 writes `Destination`).
const DESTINATIONS: &str = "destinations";

/// The longest word that can be a slip of ours; longer keys are passed over.
const LONGEST: usize = 48;

/// Lower-case letters and digits only (`filter_type` and `FilterType` are one
/// word), written into `buf`: no allocation per key of a large file.
fn normalise<'b>(word: &str, buf: &'b mut [u8; LONGEST]) -> Option<&'b str> {
    if word.len() > LONGEST {
        return None;
    }
    let mut n = 0;
    for b in word.bytes().filter(u8::is_ascii_alphanumeric) {
        buf[n] = b.to_ascii_lowercase();
        n += 1;
    }
    std::str::from_utf8(&buf[..n]).ok()
}

/// How many slips a word of this length may carry and still be ours.
fn tolerance(len: usize) -> usize {
    match len {
        0..=4 => 0,
        5..=6 => 1,
        7..=12 => 2,
        _ => 3,
    }
}

/// The vocabulary, normalised once.
fn normalised_vocabulary() -> &'static [(&'static str, String, u32)] {
    static WORDS: std::sync::OnceLock<Vec<(&'static str, String, u32)>> = std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        VOCABULARY
            .iter()
            .map(|&(word, weight)| {
                let norm = word.chars().filter(char::is_ascii_alphanumeric).collect::<String>();
                (word, norm.to_ascii_lowercase(), weight)
            })
            .collect()
    })
}

/// The vocabulary word `word` is, or is a slip of.
fn vocabulary_word(word: &str) -> Option<(&'static str, u32)> {
    let mut buf = [0; LONGEST];
    let w = normalise(word, &mut buf)?;
    if w.is_empty() {
        return None;
    }
    let vocabulary = normalised_vocabulary();
    // The word itself first: most keys of a file of ours are, and no word
    // is a slip of another (a test checks), so the answer is the same as in
    // one pass that tries each word's slips in turn.
    let exact = vocabulary.iter().find(|(_, v, _)| w == v);
    exact
        .or_else(|| {
            vocabulary.iter().find(|(_, v, _)| {
                let tol = tolerance(v.len());
                tol > 0
                    && w.len().abs_diff(v.len()) <= tol
                    && letter_count_bound(w, v) <= tol
                    && edit_distance_within(w, v, tol).is_some()
            })
        })
        .map(|(word, _, weight)| (*word, *weight))
}

/// A lower bound of the edit distance of two normalised words, cheaper
/// than the distance (every short value of a file is compared with the
/// vocabulary): a substitution changes the counts of letters and digits by
/// two at most, an insertion or a deletion by one, a transposition not at all.
fn letter_count_bound(a: &str, b: &str) -> usize {
    let slot = |c: u8| {
        if c.is_ascii_digit() {
            usize::from(c - b'0')
        } else {
            10 + usize::from(c.wrapping_sub(b'a')) % 26
        }
    };
    let mut counts = [0i32; 36];
    a.bytes().for_each(|c| counts[slot(c)] += 1);
    b.bytes().for_each(|c| counts[slot(c)] -= 1);
    (counts.iter().map(|c| c.unsigned_abs() as usize).sum::<usize>()).div_ceil(2)
}

/// What one walk of the tree found.
#[derive(Default)]
struct Evidence {
    words: Vec<(&'static str, u32, Span)>,
    neighbours: Vec<(&'static Neighbour, Span)>,
    has_destinations: bool,
}

impl Evidence {
    fn weight(&self) -> u32 {
        self.words.iter().map(|(_, w, _)| w).sum()
    }

    fn note_word(&mut self, word: &str, span: Span) {
        if let Some((w, weight)) = vocabulary_word(word) {
            if !self.words.iter().any(|(seen, _, _)| *seen == w) {
                self.words.push((w, weight, span));
            }
        }
    }

    fn note_telltales(&mut self, key: &str, value: &Node, span: Span) {
        if key.eq_ignore_ascii_case(DESTINATIONS) {
            self.has_destinations = true;
        }
        for n in NEIGHBOURS {
            if self.neighbours.iter().any(|(seen, _)| std::ptr::eq(*seen, n)) {
                continue;
            }
            let found = n.telltales.iter().any(|t| match t {
                Telltale::Key(k) => key.eq_ignore_ascii_case(k),
                Telltale::KeyHolding(k, inner) => {
                    key.eq_ignore_ascii_case(k)
                        && value
                            .as_object()
                            .is_some_and(|ms| ms.iter().any(|m| m.key.eq_ignore_ascii_case(inner)))
                }
                Telltale::TemplateWithoutReplication
                | Telltale::TerraformWithoutReplication
                | Telltale::TerraformScanningModule
                | Telltale::PulumiWithoutReplication
                | Telltale::TerragruntWithoutReplication
                | Telltale::SchemaProperties => false,
            });
            if found {
                self.neighbours.push((n, span));
            }
        }
    }

    /// The first neighbour found, unless replication's own key overrides it.
    fn neighbour(&self) -> Option<(&'static Neighbour, Span)> {
        if self.has_destinations {
            return None;
        }
        self.neighbours.first().copied()
    }

    /// A JSON Schema object: noted as its neighbour once.
    fn note_schema(&mut self, span: Span) {
        if self
            .neighbours
            .iter()
            .any(|(n, _)| n.telltales.contains(&Telltale::SchemaProperties))
        {
            return;
        }
        let schema = NEIGHBOURS
            .iter()
            .find(|n| n.telltales.contains(&Telltale::SchemaProperties))
            .expect("the table lists schemas");
        self.neighbours.push((schema, span));
    }
}

/// The `properties` of a JSON Schema object (`type` beside it), whose keys
/// are names described, not keys of a configuration; CloudFormation's is
/// `Properties`, capitalised.
fn schema_properties<'a>(members: &'a [Member<'a>]) -> Option<&'a Member<'a>> {
    let properties = members
        .iter()
        .find(|m| m.key == "properties" && m.value.as_object().is_some())?;
    members.iter().any(|m| m.key == "type").then_some(properties)
}

fn gather(root: &Node) -> Evidence {
    let mut evidence = Evidence::default();
    // Each node, and whether its keys are names a schema describes.
    let mut stack = vec![(root, false)];
    while let Some((node, described)) = stack.pop() {
        // Replication's own key and enough words settle it: a large
        // configuration is not walked to its end.
        if evidence.has_destinations && evidence.weight() >= ENOUGH {
            break;
        }
        match &node.kind {
            NodeKind::Object(members) => {
                let properties = if described { None } else { schema_properties(members) };
                if let Some(p) = properties {
                    evidence.note_schema(p.key_span);
                }
                for m in members.iter().rev() {
                    if !described {
                        evidence.note_word(&m.key, m.key_span);
                        evidence.note_telltales(&m.key, &m.value, m.key_span);
                    }
                    let describes = properties.is_some_and(|p| std::ptr::eq(p, m));
                    stack.push((&m.value, describes));
                }
            }
            NodeKind::Array(items) => stack.extend(items.iter().rev().map(|i| (i, false))),
            NodeKind::String(s) => {
                if s.len() < 24 && vocabulary_word(s).is_some_and(|(w, _)| w == "PREFIX_MATCH") {
                    evidence.note_word(s, node.span);
                } else if is_replication_type(s).is_some() {
                    evidence
                        .words
                        .push(("AWS::ECR::ReplicationConfiguration", ENOUGH, node.span));
                }
            }
            _ => {}
        }
    }
    // The walk is depth-first in document order, so the first found is the earliest.
    evidence
}

/// Whether a node (a resource's body) reads as a replication configuration,
/// by the evidence that recognises files: enough of our words, and no
/// neighbour's telltale that replication's own key does not override.
pub fn reads_as_replication(node: &Node) -> bool {
    let evidence = gather(node);
    evidence.weight() >= ENOUGH && evidence.neighbour().is_none()
}

/// A Terraform configuration with nothing of ours: its neighbour, at its first key.
pub fn terraform_neighbour(root: &Node) -> Recognition {
    let neighbour = NEIGHBOURS
        .iter()
        .find(|n| n.telltales.contains(&Telltale::TerraformWithoutReplication))
        .expect("the table lists Terraform");
    let at = root
        .as_object()
        .and_then(|ms| ms.first())
        .map_or(Span::new(root.span.start, root.span.start + 1), |m| m.key_span);
    Recognition::Neighbour { neighbour, at }
}

/// Which shape, if any, a parsed root has.
pub fn recognise(root: &Node) -> Recognition {
    // Terraform (a configuration, or `terraform show -json` output) is
    // recognised by its top level: ours when it holds the resource (or a
    // known module's input), a neighbour otherwise.
    // Terragrunt (`terragrunt.hcl`): ours when its `inputs` set the known
    // module's rules, a neighbour otherwise.
    if is_terragrunt(root) {
        if (shapes::terraform::SHAPE.matches)(root) {
            return Recognition::Replication(&shapes::terraform::SHAPE);
        }
        let neighbour = NEIGHBOURS
            .iter()
            .find(|n| n.telltales.contains(&Telltale::TerragruntWithoutReplication))
            .expect("the table lists Terragrunt");
        let at = root
            .as_object()
            .and_then(|ms| ms.first())
            .map_or(Span::new(root.span.start, root.span.start + 1), |m| m.key_span);
        return Recognition::Neighbour { neighbour, at };
    }
    if is_tree(root) || shapes::terraform_plan::is_plan(root) {
        for shape in [&shapes::terraform::SHAPE, &shapes::terraform_plan::SHAPE] {
            if (shape.matches)(root) {
                return Recognition::Replication(shape);
            }
        }
        // The known module's scanning inputs name what the file is.
        if let Some(input) = is_tree(root)
            .then(|| shapes::terraform::module_scanning_input(root))
            .flatten()
        {
            let neighbour = NEIGHBOURS
                .iter()
                .find(|n| n.telltales.contains(&Telltale::TerraformScanningModule))
                .expect("the table lists the scanning module");
            return Recognition::Neighbour {
                neighbour,
                at: input.key_span,
            };
        }
        return terraform_neighbour(root);
    }
    // Pulumi YAML (a program, its project or a stack's settings), by its top level likewise.
    if shapes::pulumi::is_pulumi(root) {
        if (shapes::pulumi::SHAPE.matches)(root) {
            return Recognition::Replication(&shapes::pulumi::SHAPE);
        }
        let neighbour = NEIGHBOURS
            .iter()
            .find(|n| n.telltales.contains(&Telltale::PulumiWithoutReplication))
            .expect("the table lists Pulumi");
        let at = root
            .as_object()
            .and_then(|ms| ms.first())
            .map_or(Span::new(root.span.start, root.span.start + 1), |m| m.key_span);
        return Recognition::Neighbour { neighbour, at };
    }
    if let Some(resources) = template_resources(root) {
        let checked = resources
            .as_object()
            .unwrap_or_default()
            .iter()
            .any(|m| is_checked_resource(&m.value));
        if checked {
            return Recognition::Replication(&shapes::cloudformation_template::SHAPE);
        }
        let at = root
            .get("Resources")
            .map_or(Span::new(root.span.start, root.span.start + 1), |m| m.key_span);
        let neighbour = NEIGHBOURS
            .iter()
            .find(|n| n.telltales.contains(&Telltale::TemplateWithoutReplication))
            .expect("the table lists templates");
        return Recognition::Neighbour { neighbour, at };
    }
    // Registry policies are recognised by what only they hold, before the
    // neighbours' telltales (`Statement`, `policyText`) are read.
    for shape in [
        &shapes::registry_policy::SHAPE,
        &shapes::get_registry_policy::SHAPE,
        &shapes::registry_policy::LONE_STATEMENT_SHAPE,
        // Creation templates, by their own keys or slips of them.
        &shapes::creation_template::DESCRIBE_SHAPE,
        &shapes::creation_template::RESPONSE_SHAPE,
        &shapes::creation_template::INPUT_SHAPE,
    ] {
        if (shape.matches)(root) {
            return Recognition::Replication(shape);
        }
    }
    let evidence = gather(root);
    if let Some((neighbour, at)) = evidence.neighbour() {
        return Recognition::Neighbour { neighbour, at };
    }
    let members = root.as_object().unwrap_or_default();
    // `{"rules": []}` turns replication off, and is all there is to it; a
    // lone `rules` (or a slip of it: `r.ules`, `rulez`, as named files read
    // it) that is a string, a number or null is a configuration with a
    // mistake (a Semgrep file is a lone `rules` list too, of items
    // with keys; ESLint's is an object).
    let lone_rules = matches!(members, [m] if vocabulary_word(&m.key).is_some_and(|(w, _)| w == "rules") && match &m.value.kind {
        NodeKind::Array(items) => items.iter().all(|i| i.as_object().is_none_or(<[_]>::is_empty)),
        NodeKind::Object(_) => false,
        _ => true,
    });
    if evidence.weight() < ENOUGH && !lone_rules {
        return Recognition::Unrelated;
    }
    if let Some(kind) = shape_of(root).or_else(|| lone_key_shape(root)) {
        return Recognition::Replication(kind);
    }
    let (word, _, span) = evidence.words[0];
    Recognition::Misplaced(Clue { span, word })
}

/// The top-level member whose key is `word` of the vocabulary, or a slip of it.
pub(crate) fn root_word<'a>(root: &'a Node<'a>, word: &str) -> Option<&'a Member<'a>> {
    root.as_object()?
        .iter()
        .find(|m| vocabulary_word(&m.key).is_some_and(|(w, _)| w == word))
}

/// With evidence below it, a lone top-level key that is no word of ours
/// stands for one: `rules` over a list, `replicationConfiguration` over an
/// object with rules.
fn lone_key_shape(root: &Node) -> Option<&'static Shape> {
    match root.as_object()? {
        [m] => match &m.value.kind {
            NodeKind::Array(_) => Some(&shapes::configuration::SHAPE),
            NodeKind::Object(inner)
                if inner
                    .iter()
                    .any(|i| vocabulary_word(&i.key).is_some_and(|(w, _)| w == "rules")) =>
            {
                Some(&shapes::request::SHAPE)
            }
            _ => None,
        },
        _ => None,
    }
}

/// For a file that does not parse: whether its words say it is meant as a
/// replication document, read from the whole text without a copy.
pub fn text_is_replication(text: &str) -> bool {
    let mut evidence = Evidence::default();
    let mut neighbour_words = false;
    let words = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| w.len() >= 4);
    for word in words {
        evidence.note_word(word, Span::default());
        // A Terraform file that names the resource is ours, however broken.
        if word == super::dialect::TERRAFORM_REPLICATION_RESOURCE && !evidence.words.iter().any(|(w, _, _)| *w == word)
        {
            evidence
                .words
                .push((super::dialect::TERRAFORM_REPLICATION_RESOURCE, ENOUGH, Span::default()));
            evidence.has_destinations = true;
        }
        if word.eq_ignore_ascii_case(DESTINATIONS) {
            evidence.has_destinations = true;
        }
        neighbour_words |= NEIGHBOURS.iter().any(|n| {
            n.telltales.iter().any(|t| match t {
                Telltale::Key(k) => word.eq_ignore_ascii_case(k),
                Telltale::KeyHolding(_, inner) => word.eq_ignore_ascii_case(inner),
                Telltale::TemplateWithoutReplication
                | Telltale::TerraformWithoutReplication
                | Telltale::TerraformScanningModule
                | Telltale::PulumiWithoutReplication
                | Telltale::TerragruntWithoutReplication
                | Telltale::SchemaProperties => false,
            })
        });
    }
    // A registry policy that does not parse names replication's action.
    let replicate = &crate::facts::facts().registry_policy.replication_action;
    let replicate = replicate.rsplit(':').next().unwrap_or(replicate);
    let policy_word = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| w.eq_ignore_ascii_case(replicate));
    policy_word || (evidence.weight() >= ENOUGH && (evidence.has_destinations || !neighbour_words))
}

/// Words that make a Terraform file (HCL) ours: the provider's replication
/// resource type, and the module inputs that carry the same data
/// (terraform-aws-modules/ecr). Its files mention `replication_configuration`,
/// `rule` and `destination` for other services too (S3 bucket replication),
/// so the word evidence of JSON and YAML documents does not apply.
pub const TERRAFORM_WORDS: &[&str] = &["aws_ecr_replication_configuration", "registry_replication_rules"];

/// The start of the replication resource's type, which no other resource type shares.
const RESOURCE_FAMILY: &str = "aws_ecr_replication_";

/// Whether a Terraform file's text names one of [`TERRAFORM_WORDS`], in any
/// case or with a few slips (`aws_ecr_replication_configuraton`), as a
/// file that parses is recognised by them.
pub fn terraform_text_is_replication(text: &str) -> bool {
    const MAX_SLIPS: usize = 3;
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| w.len() + MAX_SLIPS >= "registry_replication_rules".len())
        .any(|w| {
            let w = w.to_ascii_lowercase();
            // No other resource type starts so: whatever follows is a slip.
            w.starts_with(RESOURCE_FAMILY)
                || TERRAFORM_WORDS
                    .iter()
                    .any(|t| w.len().abs_diff(t.len()) <= MAX_SLIPS && edit_distance_within(&w, t, MAX_SLIPS).is_some())
        })
}

/// Top-level keys of a Terraform configuration (its block types).
const BLOCK_TYPES: &[&str] = &[
    "resource",
    "data",
    "module",
    "variable",
    "provider",
    "locals",
    "terraform",
    "output",
    "moved",
    "import",
    "check",
    "removed",
    "ephemeral",
];

/// Whether a tree is a Terraform configuration: an object whose keys are
/// all Terraform block types, one of them a block only Terraform has (a
/// `variables.tf` of `variable` blocks alone is one, and holds no
/// replication resource). A lone `data` or `output` key is common in other
/// JSON (an API response that wraps a replication configuration), so it
/// alone does not make a file Terraform.
pub fn is_tree(root: &Node) -> bool {
    let Some(members) = root.as_object() else {
        return false;
    };
    // `//` is a comment in Terraform's JSON syntax.
    members
        .iter()
        .all(|m| m.key == "//" || BLOCK_TYPES.contains(&m.key.as_ref()))
        && members.iter().any(|m| {
            matches!(
                m.key.as_ref(),
                "resource" | "module" | "provider" | "terraform" | "variable" | "locals"
            )
        })
}

/// Top-level keys of a Terragrunt configuration (`terragrunt.hcl`): its
/// blocks and attributes.
const TERRAGRUNT_KEYS: &[&str] = &[
    "terraform",
    "inputs",
    "include",
    "locals",
    "dependency",
    "dependencies",
    "remote_state",
    "generate",
    "iam_role",
    "iam_assume_role_duration",
    "iam_assume_role_session_name",
    "iam_web_identity_token",
    "prevent_destroy",
    "skip",
    "download_dir",
    "terraform_binary",
    "terraform_version_constraint",
    "terragrunt_version_constraint",
    "retryable_errors",
    "retry_max_attempts",
    "retry_sleep_interval_sec",
    "feature",
    "errors",
    "exclude",
    "engine",
    "catalog",
];

/// Whether a tree is a Terragrunt configuration: every top-level key one
/// of Terragrunt's, and one that Terraform has not (`inputs`, `include`, ...).
pub fn is_terragrunt(root: &Node) -> bool {
    let Some(members) = root.as_object() else {
        return false;
    };
    members.iter().all(|m| TERRAGRUNT_KEYS.contains(&m.key.as_ref()))
        && members
            .iter()
            .any(|m| !matches!(m.key.as_ref(), "terraform" | "locals"))
}

/// Whether a resource is one ecrlint checks: a replication configuration
/// or a registry policy, by its type or a slip of it, or by its body.
pub fn is_checked_resource(resource: &Node) -> bool {
    checked_kind(resource).is_some()
}

/// What a template resource is checked as, and how its type names that:
/// the type (under `Type`, or a slip of the key such as `Tpye` or `type`)
/// names it exactly or within a few slips; or the type is missing or an
/// unknown one of ECR's, and the body reads as one (the evidence that
/// recognises files, [`reads_as_replication`]). A
/// resource of another service's type is never ours, whatever it holds.
pub fn checked_kind(resource: &Node) -> Option<(ResourceKind, TypeSpelling)> {
    let ty = type_member(resource).and_then(|m| m.value.as_str());
    match ty {
        Some(REPLICATION_RESOURCE) => return Some((ResourceKind::Replication, TypeSpelling::Exact)),
        Some(REGISTRY_POLICY_RESOURCE) => return Some((ResourceKind::RegistryPolicy, TypeSpelling::Exact)),
        Some(super::dialect::CREATION_TEMPLATE_RESOURCE) => {
            return Some((ResourceKind::CreationTemplate, TypeSpelling::Exact))
        }
        _ => {}
    }
    // A name near ours: the body, when it reads as one kind, says which.
    let near = ty.and_then(|t| match is_replication_type(t) {
        Some(_) => Some(ResourceKind::Replication),
        None => near_type(t),
    });
    let ecr_namespace = |t: &str| {
        let norm: String = t
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        norm.is_empty() || norm.starts_with("awsecr") || norm.starts_with("ecr")
    };
    if near.is_none() && !ty.is_none_or(ecr_namespace) {
        return None;
    }
    // Without a type, only `Properties` make it a resource.
    let properties = match resource.get("Properties") {
        Some(p) => &p.value,
        None if ty.is_some() => resource,
        None => return None,
    };
    let by_body = if reads_as_replication(properties) {
        Some(ResourceKind::Replication)
    } else {
        let policy_text = properties
            .as_object()
            .unwrap_or_default()
            .iter()
            .find(|m| crate::text::nearest(&m.key, ["PolicyText"]).is_some());
        policy_text
            .is_some_and(|m| super::policy::is_registry_policy(&m.value))
            .then_some(ResourceKind::RegistryPolicy)
    };
    // A template's exclusion filters share replication's words (`Filter`,
    // `FilterType`): a type a few typos from the template's decides.
    if near == Some(ResourceKind::CreationTemplate) {
        return Some((ResourceKind::CreationTemplate, TypeSpelling::Misspelt));
    }
    by_body.or(near).map(|kind| (kind, TypeSpelling::Misspelt))
}

/// A type near one of ours but not within [`is_replication_type`]'s slips:
/// the registry policy's within a case change or three typos, or either
/// type cut short or run on in ECR's namespace (`AWS::ECR::ReplicationConfig`).
pub fn near_type(ty: &str) -> Option<ResourceKind> {
    const MAX_EDITS: usize = 3;
    /// The shortest part of a type name that still says which one it is.
    const SHORTEST_PART: usize = 8;
    let lower = ty.to_ascii_lowercase();
    if crate::text::edit_distance_within(&lower, &REGISTRY_POLICY_RESOURCE.to_ascii_lowercase(), MAX_EDITS).is_some() {
        return Some(ResourceKind::RegistryPolicy);
    }
    // Within a few typos only: cut short, it is `AWS::ECR::Repository`, not ours.
    let template = super::dialect::CREATION_TEMPLATE_RESOURCE.to_ascii_lowercase();
    if crate::text::edit_distance_within(&lower, &template, MAX_EDITS).is_some() {
        return Some(ResourceKind::CreationTemplate);
    }
    let name = |t: &str| {
        let norm: String = t
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        norm.strip_prefix("awsecr").map(str::to_string)
    };
    let written = name(ty)?;
    [ResourceKind::Replication, ResourceKind::RegistryPolicy]
        .into_iter()
        .find(|kind| {
            let ours = name(kind.cloudformation_type()).unwrap_or_default();
            let (short, long) = if written.len() < ours.len() {
                (&written, &ours)
            } else {
                (&ours, &written)
            };
            short.len() >= SHORTEST_PART && long.starts_with(short.as_str())
        })
}

/// Keys a template resource may have, for reading a slip of `Type`.
const RESOURCE_KEYS: &[&str] = &[
    "Type",
    "Properties",
    "Condition",
    "DependsOn",
    "Metadata",
    "DeletionPolicy",
    "UpdateReplacePolicy",
    "CreationPolicy",
    "UpdatePolicy",
];

/// The member naming a resource's type: `Type`, or else the one key that
/// is a slip of it (`Tpye`, `type`, `Types`), which the schema reports.
pub fn type_member<'a>(resource: &'a Node<'a>) -> Option<&'a crate::syntax::Member<'a>> {
    if let Some(m) = resource.get("Type") {
        return Some(m);
    }
    let mut slips = resource
        .as_object()?
        .iter()
        .filter(|m| crate::text::nearest(&m.key, RESOURCE_KEYS.iter().copied()) == Some("Type"));
    let first = slips.next()?;
    slips.next().is_none().then_some(first)
}

/// How a resource `Type` names [`REPLICATION_RESOURCE`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeSpelling {
    Exact,
    /// Within a case change or a few typos (or, for [`checked_kind`], any
    /// other type over a body that reads as ours): CloudFormation rejects
    /// the template, and the resource is linted as ours with the spelling
    /// reported.
    Misspelt,
}

/// Whether a resource `Type` names the replication resource, and how.
pub fn is_replication_type(ty: &str) -> Option<TypeSpelling> {
    /// Edits allowed; the nearest other ECR type is more than twice as far.
    const MAX_EDITS: usize = 3;
    if ty == REPLICATION_RESOURCE {
        return Some(TypeSpelling::Exact);
    }
    let close = ty.len().abs_diff(REPLICATION_RESOURCE.len()) <= MAX_EDITS
        && crate::text::edit_distance_within(
            &ty.to_ascii_lowercase(),
            &REPLICATION_RESOURCE.to_ascii_lowercase(),
            MAX_EDITS,
        )
        .is_some();
    close.then_some(TypeSpelling::Misspelt)
}

/// The node holding a template's resources: its `Resources` mapping, or the
/// root itself when the file is a fragment of one (logical ID → resource).
/// A `Resources` mapping counts when any entry has a `Type` (or a slip of
/// the key) or `Properties`, so one misspelt resource does not hide the
/// template.
pub fn template_resources<'a>(root: &'a Node<'a>) -> Option<&'a Node<'a>> {
    let is_resource = |n: &Node| {
        type_member(n).is_some_and(|t| t.value.as_str().is_some())
            || n.get("Properties").is_some_and(|p| p.value.as_object().is_some())
    };
    if let Some(r) = root.get("Resources").filter(|r| r.value.as_object().is_some()) {
        let any_typed = r
            .value
            .as_object()
            .is_some_and(|ms| ms.iter().any(|m| is_resource(&m.value)));
        if any_typed || root.get("AWSTemplateFormatVersion").is_some() {
            return Some(&r.value);
        }
    }
    let fragment = root.as_object()?.iter().any(|m| is_checked_resource(&m.value));
    fragment.then_some(root)
}

#[cfg(test)]
mod vocabulary_tests {
    use super::*;

    /// `vocabulary_word` tries the word itself before slips: the same
    /// answer only while no word of the vocabulary is a slip of another.
    #[test]
    fn no_vocabulary_word_is_a_slip_of_another() {
        let words = normalised_vocabulary();
        for (a, norm_a, _) in words {
            for (b, norm_b, _) in words.iter().filter(|(b, _, _)| b != a) {
                let tol = tolerance(norm_b.len());
                let slip = tol > 0 && edit_distance_within(norm_a, norm_b, tol).is_some();
                assert!(!slip, "{a} is a slip of {b}");
            }
        }
    }

    /// The letter-count bound never exceeds the distance it stands in for.
    #[test]
    fn the_letter_count_bound_is_at_most_the_edit_distance() {
        let words = [
            "filtertype",
            "filtretype",
            "registryid",
            "210987654321",
            "uswest2",
            "prefixmatch",
            "prod",
            "rules",
            "rlues",
        ];
        for a in words {
            for b in words {
                let distance = edit_distance_within(a, b, 64).unwrap();
                assert!(letter_count_bound(a, b) <= distance, "{a} {b}");
            }
        }
        assert_eq!(letter_count_bound("rules", "rlues"), 0);
        assert_eq!(letter_count_bound("210987654321", "registryid"), 11);
        assert_eq!(vocabulary_word("filtre_type"), Some(("filterType", 4)));
        assert_eq!(vocabulary_word("210987654321"), None);
    }
}

#[cfg(test)]
mod resource_tests {
    use super::*;

    fn kind(resource: &str) -> Option<(ResourceKind, TypeSpelling)> {
        checked_kind(&crate::syntax::json::parse(resource.as_bytes()).unwrap())
    }

    #[test]
    fn a_resource_is_ours_by_its_type_a_slip_of_it_or_its_body() {
        use ResourceKind::*;
        use TypeSpelling::*;
        let body = r#""Properties": {"ReplicationConfiguration": {"Rules": [{"Destinations": []}]}}"#;
        let with = |key: &str, ty: &str| kind(&format!(r#"{{"{key}": "{ty}", {body}}}"#));
        assert_eq!(with("Type", REPLICATION_RESOURCE), Some((Replication, Exact)));
        assert_eq!(with("Tpye", REPLICATION_RESOURCE), Some((Replication, Exact)));
        assert_eq!(
            with("Type", "AWS::ECR::ReplicationConfig"),
            Some((Replication, Misspelt))
        );
        assert_eq!(with("Type", "AWS::ECR::Repository"), Some((Replication, Misspelt)));
        // The body decides between our two types when the name is a slip.
        assert_eq!(with("Type", "AWS::ECR::RegistryPolicyy"), Some((Replication, Misspelt)));
        assert_eq!(kind(&format!("{{{body}}}")), Some((Replication, Misspelt)));
        // Another service's resource is never ours, whatever it holds.
        assert_eq!(with("Type", "AWS::S3::Bucket"), None);
        assert_eq!(with("Type", "Custom::Replication"), None);
        // Without a type, only `Properties` make a resource.
        assert_eq!(
            kind(r#"{"ReplicationConfiguration": {"Rules": [{"Destinations": []}]}}"#),
            None
        );
        assert_eq!(
            kind(r#"{"Type": "AWS::ECR::RegistryPolicies"}"#),
            Some((RegistryPolicy, Misspelt))
        );
        assert_eq!(near_type("AWS::ECR::Repo"), None);
    }
}
