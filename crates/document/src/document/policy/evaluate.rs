//! Whether a registry policy statement applies to a request: an action, by
//! an account, on the repositories of one registry. The answer has three
//! values, because a policy may hold values known only at deploy time and
//! conditions that are not evaluated here: a grant counts when it may apply
//! (a missing grant is never reported when one might be there), and a Deny
//! removes it only when it surely applies.
//!
//! IAM's rules (IAM User Guide, JSON policy elements: Action, NotAction,
//! Principal, NotPrincipal, Resource, NotResource): `*` matches any run of
//! characters and `?` one character; action names are compared without
//! case, resource ARNs with case; in an ARN a wildcard stays within its
//! `:`-separated segment, except a `*` that ends its segment, which may run
//! on past colons. A `Not…` element matches what none of its values match.
//! IAM rejects `NotPrincipal` with `Allow`, so such a statement allows
//! nothing. Principals have no wildcards but `*` (everyone).

use super::{read_principal, read_repository_arn, ArnReading, PrincipalReading, Statement as Written};
use crate::syntax::Node;

/// Whether a statement (or one of its elements) applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Applies {
    No,
    /// It depends on what is known only at deploy or request time.
    Maybe,
    Yes,
}

impl Applies {
    fn and(self, other: Applies) -> Applies {
        self.min(other)
    }

    fn or(self, other: Applies) -> Applies {
        self.max(other)
    }

    fn not(self) -> Applies {
        match self {
            Applies::No => Applies::Yes,
            Applies::Maybe => Applies::Maybe,
            Applies::Yes => Applies::No,
        }
    }

    fn of(yes: bool) -> Applies {
        if yes {
            Applies::Yes
        } else {
            Applies::No
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
    /// Known only at deploy time.
    Unknown,
    /// Neither `Allow` nor `Deny` (ECR504): IAM rejects it.
    Invalid,
}

/// A value of `Action`/`NotAction` or `Resource`/`NotResource`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pattern {
    /// As written, wildcards included.
    Text(String),
    /// Known only at deploy time.
    Unknown,
    /// A value that names no repository: a malformed or non-ECR ARN (ECR502).
    Nothing,
}

/// A value of `Principal`/`NotPrincipal`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Who {
    /// `*`.
    Everyone,
    /// An account: its ID, or `arn:<partition>:iam::<id>:root`.
    Account(String),
    /// An IAM user or role (or a session of one) of this account: not the
    /// account itself.
    InAccount(String),
    /// Known only at deploy time.
    Unknown,
    /// Not an account's principal (a service, a malformed value): it never
    /// names an account.
    Nothing,
}

/// An element and its `Not…` form: `negated` when written as `Not…`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Element<T> {
    pub negated: bool,
    pub values: Vec<T>,
}

impl<T> Element<T> {
    fn applies(&self, matches: impl Fn(&T) -> Applies) -> Applies {
        let any = self.values.iter().fold(Applies::No, |found, v| found.or(matches(v)));
        if self.negated {
            any.not()
        } else {
            any
        }
    }
}

/// A statement as evaluated: owned, so that the check across files keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    pub effect: Effect,
    /// `None`: neither `Principal` nor `NotPrincipal` (it names nobody).
    pub principals: Option<Element<Who>>,
    /// `None`: neither `Action` nor `NotAction` (it names no action).
    pub actions: Option<Element<Pattern>>,
    /// `None`: neither `Resource` nor `NotResource`: every repository of the
    /// registry, as a registry policy without `Resource` is read.
    pub resources: Option<Element<Pattern>>,
    /// A `Condition`, or a value chosen by `Fn::If`: the statement may or
    /// may not apply.
    pub conditional: bool,
}

/// A request to a registry: `action` by `account` on its repositories.
#[derive(Clone, Copy, Debug)]
pub struct Request<'r> {
    pub action: &'r str,
    /// The account that asks; `None` when it is not known.
    pub account: Option<&'r str>,
    /// What every repository ARN of the registry starts with
    /// ([`repositories_of`]); the name that follows is not known.
    pub repositories: &'r str,
}

/// `arn:<partition>:ecr:<region>:<account>:repository/`, the start of every
/// repository ARN of a registry.
pub fn repositories_of(partition: &str, region: &str, account: &str) -> String {
    let rp = &crate::facts::facts().registry_policy;
    format!(
        "arn:{partition}:{}:{region}:{account}:{}",
        rp.resource_service, rp.resource_prefix
    )
}

impl Statement {
    /// The statement as written, read for evaluation.
    pub fn read(written: &Written) -> Statement {
        let node = written.node;
        let effect = match written.effect.map(|e| e.text()) {
            Some(Some("Allow")) => Effect::Allow,
            Some(Some("Deny")) => Effect::Deny,
            // Not known statically, or missing (ECR101): it may be `Allow`.
            Some(None) | None => Effect::Unknown,
            Some(Some(_)) => Effect::Invalid,
        };
        let patterns = |values: &[super::Scalar], read: fn(&str) -> Pattern| -> Vec<Pattern> {
            values.iter().map(|v| v.text().map_or(Pattern::Unknown, read)).collect()
        };
        let action = |text: &str| Pattern::Text(text.to_string());
        let resource = |text: &str| match read_repository_arn(text) {
            ArnReading::Everything | ArnReading::Repository(_) => Pattern::Text(text.to_string()),
            ArnReading::Malformed { .. } => Pattern::Nothing,
        };
        let element = |key: &str, not_key: &str, positive: Vec<Pattern>, negative: Vec<Pattern>| {
            if node.get(key).is_some() {
                Some(Element {
                    negated: false,
                    values: positive,
                })
            } else {
                node.get(not_key).is_some().then_some(Element {
                    negated: true,
                    values: negative,
                })
            }
        };
        let who = |values: Vec<(Option<&str>, super::Scalar)>| -> Vec<Who> {
            values
                .into_iter()
                .map(|(key, value)| match (key, value.text()) {
                    (Some("AWS") | None, None) => Who::Unknown,
                    (Some("AWS") | None, Some(text)) => match read_principal(text) {
                        PrincipalReading::Everyone => Who::Everyone,
                        PrincipalReading::Account(a) => Who::Account(a.to_string()),
                        PrincipalReading::IamPrincipal(a) => Who::InAccount(a.to_string()),
                        PrincipalReading::Invalid(_) => Who::Nothing,
                    },
                    _ => Who::Nothing,
                })
                .collect()
        };
        let principals = match (written.principal, written.not_principal) {
            (Some(_), _) => Some(Element {
                negated: false,
                values: who(written.principals()),
            }),
            (None, Some(_)) => Some(Element {
                negated: true,
                values: who(written.not_principals()),
            }),
            (None, None) => None,
        };
        let chosen_by_if = [
            "Principal",
            "NotPrincipal",
            "Action",
            "NotAction",
            "Resource",
            "NotResource",
        ]
        .iter()
        .filter_map(|key| node.get(key))
        .any(|m| holds_if(&m.value));
        let condition = node
            .get("Condition")
            .is_some_and(|m| m.value.as_object().is_none_or(|members| !members.is_empty()));
        Statement {
            effect,
            principals,
            actions: element(
                "Action",
                "NotAction",
                patterns(&written.actions, action),
                patterns(&written.not_actions, action),
            ),
            resources: element(
                "Resource",
                "NotResource",
                patterns(&written.resources, resource),
                patterns(&written.not_resources, resource),
            ),
            conditional: condition || chosen_by_if,
        }
    }

    /// Whether the statement applies to `request`, whatever its effect.
    pub fn applies(&self, request: &Request) -> Applies {
        let (Some(principals), Some(actions)) = (&self.principals, &self.actions) else {
            return Applies::No;
        };
        let principal = principals.applies(|who| who_matches(who, request.account));
        let action = actions.applies(|pattern| match pattern {
            Pattern::Text(p) => Applies::of(action_matches(p, request.action)),
            Pattern::Unknown => Applies::Maybe,
            Pattern::Nothing => Applies::No,
        });
        let resource = self.resources.as_ref().map_or(Applies::Yes, |resources| {
            resources.applies(|pattern| match pattern {
                Pattern::Text(p) => repositories_match(p, request.repositories),
                Pattern::Unknown => Applies::Maybe,
                Pattern::Nothing => Applies::No,
            })
        });
        let condition = if self.conditional { Applies::Maybe } else { Applies::Yes };
        principal.and(action).and(resource).and(condition)
    }

    /// Whether the statement may allow `request` (an effect not known
    /// statically may be `Allow`).
    pub fn may_allow(&self, request: &Request) -> bool {
        let rejected = self.principals.as_ref().is_some_and(|p| p.negated);
        matches!(self.effect, Effect::Allow | Effect::Unknown) && !rejected && self.applies(request) != Applies::No
    }

    /// Whether the statement surely denies `request`: a `Deny` that applies
    /// whatever is known only at deploy or request time.
    pub fn surely_denies(&self, request: &Request) -> bool {
        self.effect == Effect::Deny && self.applies(request) == Applies::Yes
    }

    /// Whether the statement's actions may include `action`, whoever asks
    /// and on whatever resource.
    pub fn may_name_action(&self, action: &str) -> bool {
        self.actions.as_ref().is_some_and(|actions| {
            actions.applies(|pattern| match pattern {
                Pattern::Text(p) => Applies::of(action_matches(p, action)),
                Pattern::Unknown => Applies::Maybe,
                Pattern::Nothing => Applies::No,
            }) != Applies::No
        })
    }
}

/// Whether `node` (or an item of it, or a value under a principal's key) is
/// an `Fn::If`: only one branch deploys.
fn holds_if(node: &Node) -> bool {
    let is_if = |n: &Node| n.dynamic().is_some_and(|(f, _)| f == "Fn::If");
    if is_if(node) {
        return true;
    }
    match (node.as_array(), node.as_object()) {
        (Some(items), _) => items.iter().any(is_if),
        (_, Some(members)) if node.dynamic().is_none() => members.iter().any(|m| holds_if(&m.value)),
        _ => false,
    }
}

fn who_matches(who: &Who, account: Option<&str>) -> Applies {
    match (who, account) {
        (Who::Everyone, _) => Applies::Yes,
        (Who::Account(a), Some(asker)) => Applies::of(a == asker),
        // A user or role of the account that asks may be who asks on its behalf, or not.
        (Who::InAccount(a), Some(asker)) if a == asker => Applies::Maybe,
        (Who::InAccount(_), Some(_)) => Applies::No,
        (Who::Account(_) | Who::InAccount(_) | Who::Unknown, None) | (Who::Unknown, Some(_)) => Applies::Maybe,
        (Who::Nothing, _) => Applies::No,
    }
}

/// An action pattern against an action name, without case.
fn action_matches(pattern: &str, action: &str) -> bool {
    crate::text::wildcard_match_ignore_case(pattern, action)
}

/// A resource pattern against every ARN that starts with `prefix` and ends
/// in a repository name (not empty, no colon): `Yes` if it matches them all,
/// `No` if none, `Maybe` if some.
fn repositories_match(pattern: &str, prefix: &str) -> Applies {
    let pattern: Vec<char> = pattern.chars().collect();
    // A `*` that ends its segment may match colons; other wildcards may not.
    let may_match_colon = |j: usize| pattern[j] == '*' && pattern.get(j + 1).is_none_or(|c| *c == ':');
    let mut states = start(&pattern);
    for c in prefix.chars() {
        states = step(&pattern, &states, c, |j| c != ':' || may_match_colon(j));
    }
    // What is left of the pattern from each position reached must match
    // the name. Only wildcards match every name: `*` any length, `?` one
    // character more. Read from the end, once: (holds a colon, all
    // wildcards, how many `?`, holds a `*`) of each rest.
    let n = pattern.len();
    let mut rests = vec![(false, true, 0usize, false); n + 1];
    for j in (0..n).rev() {
        let (colon, wild, questions, star) = rests[j + 1];
        let c = pattern[j];
        rests[j] = (
            colon || c == ':',
            wild && matches!(c, '*' | '?'),
            questions + usize::from(c == '?'),
            star || c == '*',
        );
    }
    let mut exact_lengths = std::collections::BTreeSet::new();
    let mut shortest_open: Option<usize> = None;
    let mut some = false;
    for j in (0..n).filter(|&j| states[j]) {
        let (colon, wild, questions, star) = rests[j];
        if colon {
            continue;
        }
        some = true;
        if wild && star {
            shortest_open = Some(shortest_open.map_or(questions, |s| s.min(questions)));
        } else if wild {
            exact_lengths.insert(questions);
        }
    }
    let every_length = shortest_open.is_some_and(|open| (1..open).all(|n| exact_lengths.contains(&n)));
    if every_length {
        Applies::Yes
    } else if some {
        Applies::Maybe
    } else {
        Applies::No
    }
}

/// The pattern positions reached before any character: the start, and past
/// each leading `*` (a `*` may match nothing).
fn start(pattern: &[char]) -> Vec<bool> {
    let mut states = vec![false; pattern.len() + 1];
    states[0] = true;
    close(pattern, &mut states);
    states
}

/// The pattern positions reached from `states` by one character `c`; a
/// wildcard at position `j` takes it only if `wildcard_takes(j)`. Linear in
/// the pattern: a hostile pattern of many `*` stays cheap.
fn step(pattern: &[char], states: &[bool], c: char, wildcard_takes: impl Fn(usize) -> bool) -> Vec<bool> {
    let mut next = vec![false; pattern.len() + 1];
    for j in (0..pattern.len()).filter(|&j| states[j]) {
        match pattern[j] {
            '*' if wildcard_takes(j) => next[j] = true,
            '?' if wildcard_takes(j) => next[j + 1] = true,
            '*' | '?' => {}
            literal if literal == c => next[j + 1] = true,
            _ => {}
        }
    }
    close(pattern, &mut next);
    next
}

/// Adds the position after each `*` reached (a `*` may match nothing).
fn close(pattern: &[char], states: &mut [bool]) {
    for j in 0..pattern.len() {
        if states[j] && pattern[j] == '*' {
            states[j + 1] = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "210987654321";
    const REPOSITORIES: &str = "arn:aws:ecr:us-west-2:109876543210:repository/";

    fn statement(
        effect: Effect,
        principal: Element<Who>,
        action: Element<Pattern>,
        resource: Option<Element<Pattern>>,
    ) -> Statement {
        Statement {
            effect,
            principals: Some(principal),
            actions: Some(action),
            resources: resource,
            conditional: false,
        }
    }

    fn only<T>(values: Vec<T>) -> Element<T> {
        Element { negated: false, values }
    }

    fn but<T>(values: Vec<T>) -> Element<T> {
        Element { negated: true, values }
    }

    fn text(t: &str) -> Pattern {
        Pattern::Text(t.to_string())
    }

    fn source() -> Who {
        Who::Account(SOURCE.to_string())
    }

    fn request(action: &'static str, account: Option<&'static str>) -> Request<'static> {
        Request {
            action,
            account,
            repositories: REPOSITORIES,
        }
    }

    #[test]
    fn a_table_of_statements_and_requests() {
        use Applies::*;
        let replicate = request("ecr:ReplicateImage", Some(SOURCE));
        let all_repositories = || Some(only(vec![text("arn:aws:ecr:us-west-2:109876543210:repository/*")]));
        // (what the case shows, statement, request, expected)
        let cases: Vec<(&str, Statement, Request, Applies)> = vec![
            (
                "the action by name, any case",
                statement(
                    Effect::Deny,
                    only(vec![source()]),
                    only(vec![text("ECR:replicateimage")]),
                    all_repositories(),
                ),
                replicate,
                Yes,
            ),
            (
                "`ecr:*` and `ecr:Replicate*` cover the action",
                statement(
                    Effect::Deny,
                    only(vec![source()]),
                    only(vec![text("ecr:Replicate*")]),
                    all_repositories(),
                ),
                replicate,
                Yes,
            ),
            (
                "`?` is one character",
                statement(
                    Effect::Deny,
                    only(vec![Who::Everyone]),
                    only(vec![text("ecr:ReplicateImag?")]),
                    None,
                ),
                replicate,
                Yes,
            ),
            (
                "another action",
                statement(
                    Effect::Deny,
                    only(vec![Who::Everyone]),
                    only(vec![text("ecr:DeleteRepository")]),
                    None,
                ),
                replicate,
                No,
            ),
            (
                "NotAction leaves out another action: it covers this one",
                statement(
                    Effect::Allow,
                    only(vec![source()]),
                    but(vec![text("ecr:DeleteRepository")]),
                    all_repositories(),
                ),
                replicate,
                Yes,
            ),
            (
                "NotAction with a wildcard that covers the action",
                statement(
                    Effect::Deny,
                    only(vec![Who::Everyone]),
                    but(vec![text("ecr:Rep*")]),
                    None,
                ),
                replicate,
                No,
            ),
            (
                "a Region wildcard within its segment",
                statement(
                    Effect::Deny,
                    only(vec![Who::Everyone]),
                    only(vec![text("*")]),
                    Some(only(vec![text("arn:aws:ecr:us-*-2:109876543210:repository/*")])),
                ),
                replicate,
                Yes,
            ),
            (
                "a Region wildcard that does not match the Region",
                statement(
                    Effect::Deny,
                    only(vec![Who::Everyone]),
                    only(vec![text("*")]),
                    Some(only(vec![text("arn:aws:ecr:eu-*:109876543210:repository/*")])),
                ),
                replicate,
                No,
            ),
            (
                "ARNs are compared with case",
                statement(
                    Effect::Deny,
                    only(vec![Who::Everyone]),
                    only(vec![text("*")]),
                    Some(only(vec![text("arn:aws:ecr:US-WEST-2:109876543210:repository/*")])),
                ),
                replicate,
                No,
            ),
            (
                "some repositories only: not all of them",
                statement(
                    Effect::Deny,
                    only(vec![Who::Everyone]),
                    only(vec![text("*")]),
                    Some(only(vec![text("arn:aws:ecr:us-west-2:109876543210:repository/prod/*")])),
                ),
                replicate,
                Maybe,
            ),
            (
                "`repository/?*` matches every name",
                statement(
                    Effect::Deny,
                    only(vec![Who::Everyone]),
                    only(vec![text("*")]),
                    Some(only(vec![text("arn:aws:ecr:us-west-2:109876543210:repository/?*")])),
                ),
                replicate,
                Yes,
            ),
            (
                "NotResource of another registry covers this one",
                statement(
                    Effect::Deny,
                    only(vec![Who::Everyone]),
                    only(vec![text("ecr:*")]),
                    Some(but(vec![text("arn:aws:ecr:us-east-1:109876543210:repository/*")])),
                ),
                replicate,
                Yes,
            ),
            (
                "NotResource of this registry leaves it out",
                statement(
                    Effect::Deny,
                    only(vec![Who::Everyone]),
                    only(vec![text("ecr:*")]),
                    Some(but(vec![text("arn:aws:ecr:*:109876543210:repository/*")])),
                ),
                replicate,
                No,
            ),
            (
                "a resource known only at deploy time",
                statement(
                    Effect::Deny,
                    only(vec![Who::Everyone]),
                    only(vec![text("*")]),
                    Some(only(vec![Pattern::Unknown])),
                ),
                replicate,
                Maybe,
            ),
            (
                "a malformed ARN names nothing",
                statement(
                    Effect::Deny,
                    only(vec![Who::Everyone]),
                    only(vec![text("*")]),
                    Some(only(vec![Pattern::Nothing])),
                ),
                replicate,
                No,
            ),
            (
                "a principal known only at deploy time",
                statement(Effect::Deny, only(vec![Who::Unknown]), only(vec![text("*")]), None),
                replicate,
                Maybe,
            ),
            (
                "the source account not known",
                statement(Effect::Deny, only(vec![source()]), only(vec![text("*")]), None),
                request("ecr:ReplicateImage", None),
                Maybe,
            ),
            (
                "a role of the source account is not the account",
                statement(
                    Effect::Deny,
                    only(vec![Who::InAccount(SOURCE.to_string())]),
                    only(vec![text("*")]),
                    None,
                ),
                replicate,
                Maybe,
            ),
            (
                "another account",
                statement(
                    Effect::Deny,
                    only(vec![Who::Account("310987654321".to_string())]),
                    only(vec![text("*")]),
                    None,
                ),
                replicate,
                No,
            ),
            (
                "NotPrincipal leaving out another account covers the source",
                statement(
                    Effect::Deny,
                    but(vec![Who::Account("310987654321".to_string())]),
                    only(vec![text("*")]),
                    None,
                ),
                replicate,
                Yes,
            ),
            (
                "NotPrincipal leaving out the source",
                statement(Effect::Deny, but(vec![source()]), only(vec![text("*")]), None),
                replicate,
                No,
            ),
            (
                "a service principal names no account",
                statement(Effect::Deny, only(vec![Who::Nothing]), only(vec![text("*")]), None),
                replicate,
                No,
            ),
        ];
        let mut failures = Vec::new();
        for (what, s, r, expected) in &cases {
            let found = s.applies(r);
            if found != *expected {
                failures.push(format!("{what}: {found:?}, expected {expected:?}"));
            }
        }
        assert!(cases.len() >= 12);
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn a_condition_makes_a_deny_uncertain_and_an_allow_possible() {
        let r = request("ecr:ReplicateImage", Some(SOURCE));
        let mut deny = statement(Effect::Deny, only(vec![Who::Everyone]), only(vec![text("ecr:*")]), None);
        assert!(deny.surely_denies(&r));
        deny.conditional = true;
        assert!(!deny.surely_denies(&r));
        let mut allow = statement(
            Effect::Allow,
            only(vec![source()]),
            only(vec![text("ecr:ReplicateImage")]),
            None,
        );
        allow.conditional = true;
        assert!(allow.may_allow(&r));
    }

    #[test]
    fn not_principal_with_allow_allows_nothing() {
        let r = request("ecr:ReplicateImage", Some(SOURCE));
        let allow = statement(
            Effect::Allow,
            but(vec![Who::Account("310987654321".to_string())]),
            only(vec![text("ecr:*")]),
            None,
        );
        assert_eq!(allow.applies(&r), Applies::Yes);
        assert!(!allow.may_allow(&r));
    }

    #[test]
    fn a_star_ending_its_segment_runs_past_colons_and_others_do_not() {
        assert_eq!(repositories_match("arn:aws:ecr:*", REPOSITORIES), Applies::Yes);
        assert_eq!(repositories_match("*", REPOSITORIES), Applies::Yes);
        assert_eq!(
            repositories_match("arn:aws:ecr:us-*2:109876543210:repository/*", REPOSITORIES),
            Applies::Yes
        );
        // `us-w*t-2:1098…` needs the `*` to stop in the Region; `*st-2` cannot take a colon.
        assert_eq!(
            repositories_match("arn:aws:e*2:109876543210:repository/*", REPOSITORIES),
            Applies::No
        );
        assert_eq!(
            repositories_match("arn:aws:ecr:us-west-2:109876543210:repository", REPOSITORIES),
            Applies::No
        );
        // `??*` needs two characters: a one-character name is not matched.
        assert_eq!(
            repositories_match("arn:aws:ecr:us-west-2:109876543210:repository/??*", REPOSITORIES),
            Applies::Maybe
        );
        // `*??` matches every name: through the `*` ending at the prefix or taking its `/`.
        assert_eq!(
            repositories_match("arn:aws:ecr:us-west-2:109876543210:repositor*??", REPOSITORIES),
            Applies::Yes
        );
    }

    #[test]
    fn a_pattern_of_many_wildcards_is_read_in_one_pass_per_character() {
        // Each character of the request walks the pattern once: 100,000
        // wildcards against an ARN of 47 characters is 5 million steps (a
        // search of the positions reached for each would be 10^11). No `*` of
        // it ends a segment, so none takes a colon; `?` takes one character.
        let wildcards = "*?".repeat(50_000);
        assert_eq!(repositories_match(&wildcards, REPOSITORIES), Applies::No);
        // 15 `?` fit the 18 characters of the action; 20 do not.
        assert!(action_matches(&wildcards[..30], "ecr:ReplicateImage"));
        assert!(!action_matches(&wildcards[..40], "ecr:ReplicateImage"));
    }
}
