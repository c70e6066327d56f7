//! Terraform's functions, evaluated where their arguments are known: the
//! ones teams write around replication values (`concat`, `merge`,
//! `flatten`, `distinct`, `lookup`, `try`, `coalesce`, `tolist`, `toset`,
//! `tomap`, `format`, `jsonencode`, `element`, `keys`, `values`), over
//! literals and the variable defaults and locals of the same file.
//!
//! A value is a tree node: what the function passes through keeps the
//! span where its literal is written (a finding on it points there, and a
//! fix edits it), and what a function makes (the list `concat` returns, the
//! text `format` builds) is given the call's span and noted as
//! [`Evaluator::made`], which no fix may edit. Anything not known stays the
//! `${…}` text it was, never guessed: a function over it gives nothing.

use super::module::ModuleView;
use super::terraform::{
    bodies, is_template, literal_spans, replaced, replication_resources, whole_expression, Variant, MAX_VARIANTS,
};
use super::terraform_scope::Scope;
use crate::syntax::hcl::{expression_form, parse_expression, ExpressionForm, Step};
use crate::syntax::{Member, Node, NodeKind, Span, Str};

/// The functions evaluated.
pub const FUNCTIONS: &[&str] = &[
    "concat",
    "merge",
    "flatten",
    "distinct",
    "lookup",
    "try",
    "coalesce",
    "tolist",
    "toset",
    "tomap",
    "format",
    "jsonencode",
    "element",
    "keys",
    "values",
];

/// Calls and references nested deeper than this (or a local that names
/// itself) are not followed.
const MAX_DEPTH: usize = 24;

/// Why an expression has no value here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// It depends on what is not known here.
    Unknown,
    /// Terraform fails on it (a missing key without a default): what
    /// `try(…)` passes over.
    Error,
}

type Eval<'a> = Result<Node<'a>, Failure>;

/// Evaluates the expressions of one `.tf` file.
pub struct Evaluator<'s, 'a> {
    scope: &'s Scope<'a>,
    text: &'a str,
    /// The spans given to values a function made: not text of the file
    /// that holds them, so no fix may edit there.
    pub made: Vec<Span>,
    /// Names known for one instance of a resource: `count.index`, or
    /// `each.key` and `each.value` (root, then attribute and value).
    bindings: Vec<(String, Vec<(&'static str, Node<'a>)>)>,
}

impl<'s, 'a> Evaluator<'s, 'a> {
    pub fn new(scope: &'s Scope<'a>, text: &'a str) -> Self {
        Evaluator {
            scope,
            text,
            made: Vec::new(),
            bindings: Vec::new(),
        }
    }

    /// Evaluates `<root>.<name>` as the node given (`count.index` in one instance).
    pub fn bind(&mut self, root: impl Into<String>, names: Vec<(&'static str, Node<'a>)>) {
        self.bindings.push((root.into(), names));
    }

    /// The value of a node: literals as they are, the known calls and
    /// references in it evaluated; an expression not known here stays as
    /// its `${…}` text (a leaf of unknown value).
    pub fn value(&mut self, node: &Node<'a>) -> Eval<'a> {
        self.eval(node, 0)
    }

    fn eval(&mut self, node: &Node<'a>, depth: usize) -> Eval<'a> {
        if depth > MAX_DEPTH {
            return Err(Failure::Unknown);
        }
        match &node.kind {
            NodeKind::String(s) if whole_expression(s).is_some() => self.expression(node, depth),
            NodeKind::Array(items) => Ok(Node {
                span: node.span,
                kind: NodeKind::Array(
                    items
                        .iter()
                        .map(|n| self.eval(n, depth + 1))
                        .collect::<Result<_, _>>()?,
                ),
            }),
            NodeKind::Object(members) => {
                let mut out = Vec::with_capacity(members.len());
                for m in members {
                    out.push(Member {
                        value: self.eval(&m.value, depth + 1)?,
                        ..m.clone()
                    });
                }
                Ok(Node {
                    span: node.span,
                    kind: NodeKind::Object(out.into()),
                })
            }
            _ => Ok(node.clone()),
        }
    }

    /// A `${…}` node: a known call or reference evaluated, else the node.
    fn expression(&mut self, node: &Node<'a>, depth: usize) -> Eval<'a> {
        let Some(form) = expression_form(self.text, interpolated(self.text, node.span)) else {
            return Ok(node.clone());
        };
        match form {
            ExpressionForm::Call {
                name,
                args,
                expand_final,
            } if FUNCTIONS.contains(&name.as_str()) => {
                let mut values = Vec::with_capacity(args.len());
                for (i, arg) in args.iter().enumerate() {
                    let parsed = parse_expression(self.text, *arg).map_err(|_| Failure::Unknown)?;
                    // `try` evaluates its arguments one at a time, failures allowed.
                    let value = if name == "try" {
                        self.eval(&parsed, depth + 1)
                    } else {
                        Ok(self.eval(&parsed, depth + 1)?)
                    };
                    if expand_final && i + 1 == args.len() {
                        match value?.kind {
                            NodeKind::Array(items) => values.extend(items.into_vec().into_iter().map(Ok)),
                            _ => return Err(Failure::Unknown),
                        }
                    } else {
                        values.push(value);
                    }
                }
                self.call(&name, values, node.span)
            }
            ExpressionForm::Reference { root, steps } if self.bindings.iter().any(|(r, _)| *r == root) => {
                let Some((Step::Attribute(name), rest)) = steps.split_first() else {
                    return Ok(node.clone());
                };
                let bound = self
                    .bindings
                    .iter()
                    .find(|(r, _)| *r == root)
                    .and_then(|(_, names)| names.iter().find(|(n, _)| n == name))
                    .map(|(_, value)| value.clone());
                let Some(bound) = bound else {
                    return Ok(node.clone());
                };
                let mut value = self.eval(&bound, depth + 1)?;
                for step in rest {
                    if is_leaf(&value) {
                        return Ok(node.clone());
                    }
                    value = self.step(value, step, depth)?;
                }
                Ok(value)
            }
            ExpressionForm::Reference { root, steps } if root == "var" || root == "local" => {
                let Some((Step::Attribute(name), rest)) = steps.split_first() else {
                    return Ok(node.clone());
                };
                let Some(found) = self.scope.named(&root, name) else {
                    return Ok(node.clone());
                };
                let mut value = self.eval(found, depth + 1)?;
                for step in rest {
                    if is_leaf(&value) {
                        return Ok(node.clone());
                    }
                    value = self.step(value, step, depth)?;
                }
                Ok(value)
            }
            ExpressionForm::Parenthesis(inner) => {
                let parsed = parse_expression(self.text, inner).map_err(|_| Failure::Unknown)?;
                self.eval(&parsed, depth + 1)
            }
            _ => Ok(node.clone()),
        }
    }

    /// `value.name` or `value[index]`.
    fn step(&mut self, value: Node<'a>, step: &Step, depth: usize) -> Eval<'a> {
        let key = match step {
            Step::Attribute(name) => Key::Name(name.clone()),
            Step::Index(at) => {
                let parsed = parse_expression(self.text, *at).map_err(|_| Failure::Unknown)?;
                let index = self.eval(&parsed, depth + 1)?;
                match &index.kind {
                    NodeKind::Number(n) => Key::Position(n.parse().map_err(|_| Failure::Unknown)?),
                    NodeKind::String(s) if !is_template(s) => Key::Name(s.to_string()),
                    _ => return Err(Failure::Unknown),
                }
            }
        };
        match (value.kind, key) {
            (NodeKind::Object(members), Key::Name(name)) => found_member(members.into_vec(), &name),
            (NodeKind::Array(items), Key::Position(i)) => items.into_vec().into_iter().nth(i).ok_or(Failure::Error),
            _ => Err(Failure::Unknown),
        }
    }

    /// A made node, at the call.
    fn made(&mut self, at: Span, kind: NodeKind<'a>) -> Node<'a> {
        self.made.push(at);
        Node { span: at, kind }
    }

    fn call(&mut self, name: &str, args: Vec<Eval<'a>>, at: Span) -> Eval<'a> {
        if name == "try" {
            for arg in args {
                match arg {
                    // A leaf might fail in Terraform: which argument wins is not known.
                    Ok(value) if is_leaf(&value) => return Err(Failure::Unknown),
                    Ok(value) => return Ok(value),
                    Err(Failure::Error) => continue,
                    Err(Failure::Unknown) => return Err(Failure::Unknown),
                }
            }
            return Err(Failure::Error);
        }
        let args: Vec<Node<'a>> = args.into_iter().collect::<Result<_, _>>()?;
        match (name, args.as_slice()) {
            ("concat", _) => {
                let mut items = Vec::new();
                for arg in args {
                    items.extend(array(arg)?);
                }
                Ok(self.made(at, NodeKind::Array(items.into())))
            }
            ("merge", _) => {
                let mut members: Vec<Member<'a>> = Vec::new();
                for arg in args.into_iter().filter(|a| !matches!(a.kind, NodeKind::Null)) {
                    for m in object(arg)? {
                        members.retain(|old| old.key != m.key);
                        members.push(m);
                    }
                }
                members.sort_by(|a, b| a.key.cmp(&b.key));
                Ok(self.made(at, NodeKind::Object(members.into())))
            }
            ("flatten", [_]) => {
                let mut items = Vec::new();
                flatten_into(
                    args.into_iter().next().map_or(Err(Failure::Unknown), array)?,
                    &mut items,
                )?;
                Ok(self.made(at, NodeKind::Array(items.into())))
            }
            ("distinct", [_]) => {
                let items = distinct(array(args.into_iter().next().ok_or(Failure::Unknown)?)?)?;
                Ok(self.made(at, NodeKind::Array(items.into())))
            }
            ("tolist", [list]) if list.as_array().is_some() => Ok(list.clone()),
            ("tomap", [map]) if map.as_object().is_some() => Ok(map.clone()),
            ("toset", [_]) => {
                let mut items = distinct(array(args.into_iter().next().ok_or(Failure::Unknown)?)?)?;
                // Terraform orders a set of strings lexically.
                items.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
                Ok(self.made(at, NodeKind::Array(items.into())))
            }
            ("lookup", [_, key, ..]) if args.len() <= 3 => {
                let key = literal_string(key)?.to_string();
                let default = args.get(2).cloned();
                let map = object(args.into_iter().next().ok_or(Failure::Unknown)?)?;
                if map.iter().any(|m| is_template(&m.key)) {
                    return Err(Failure::Unknown);
                }
                match found_member(map, &key) {
                    Err(Failure::Error) => default.ok_or(Failure::Error),
                    found => found,
                }
            }
            ("coalesce", _) => {
                for arg in args {
                    match &arg.kind {
                        NodeKind::Null => continue,
                        NodeKind::String(s) if s.is_empty() => continue,
                        _ if is_leaf(&arg) => return Err(Failure::Unknown),
                        _ => return Ok(arg),
                    }
                }
                Err(Failure::Error)
            }
            ("element", [list, index]) => {
                let NodeKind::Number(n) = &index.kind else {
                    return Err(Failure::Unknown);
                };
                let i: usize = n.parse().map_err(|_| Failure::Unknown)?;
                let items = array(list.clone())?;
                let len = items.len();
                if len == 0 {
                    return Err(Failure::Error);
                }
                items.into_iter().nth(i % len).ok_or(Failure::Error)
            }
            ("keys", [map]) => {
                let mut members = object(map.clone())?;
                if members.iter().any(|m| is_template(&m.key)) {
                    return Err(Failure::Unknown);
                }
                members.sort_by(|a, b| a.key.cmp(&b.key));
                let keys = members
                    .into_iter()
                    .map(|m| self.made(m.key_span, NodeKind::String(m.key)))
                    .collect();
                Ok(self.made(at, NodeKind::Array(keys)))
            }
            ("values", [map]) => {
                let mut members = object(map.clone())?;
                if members.iter().any(|m| is_template(&m.key)) {
                    return Err(Failure::Unknown);
                }
                members.sort_by(|a, b| a.key.cmp(&b.key));
                let values = members.into_iter().map(|m| m.value).collect();
                Ok(self.made(at, NodeKind::Array(values)))
            }
            ("format", [spec, rest @ ..]) => {
                let text = format(literal_string(spec)?, rest)?;
                Ok(self.made(at, NodeKind::String(Str::owned(text))))
            }
            ("jsonencode", [value]) => {
                let json = json(value)?.to_string();
                Ok(self.made(at, NodeKind::String(Str::owned(json))))
            }
            _ => Err(Failure::Unknown),
        }
    }
}

enum Key {
    Name(String),
    Position(usize),
}

/// A `${…}` text: a value not known here.
fn is_leaf(node: &Node) -> bool {
    node.as_str().is_some_and(is_template)
}

fn array(node: Node) -> Result<Vec<Node>, Failure> {
    match node.kind {
        NodeKind::Array(items) => Ok(items.into_vec()),
        _ => Err(Failure::Unknown),
    }
}

fn object(node: Node) -> Result<Vec<Member>, Failure> {
    match node.kind {
        NodeKind::Object(members) => Ok(members.into_vec()),
        _ => Err(Failure::Unknown),
    }
}

fn found_member<'a>(members: Vec<Member<'a>>, name: &str) -> Eval<'a> {
    if members.iter().all(|m| m.key != name) && members.iter().any(|m| is_template(&m.key)) {
        return Err(Failure::Unknown);
    }
    members
        .into_iter()
        .rev()
        .find(|m| m.key == name)
        .map(|m| m.value)
        .ok_or(Failure::Error)
}

fn literal_string<'n>(node: &'n Node) -> Result<&'n str, Failure> {
    node.as_str().filter(|s| !is_template(s)).ok_or(Failure::Unknown)
}

fn flatten_into<'a>(items: Vec<Node<'a>>, out: &mut Vec<Node<'a>>) -> Result<(), Failure> {
    for item in items {
        match item.kind {
            NodeKind::Array(inner) => flatten_into(inner.into_vec(), out)?,
            // Perhaps a list, which would be flattened too.
            _ if is_leaf(&item) => return Err(Failure::Unknown),
            _ => out.push(item),
        }
    }
    Ok(())
}

/// The items without repeats (the first kept); every item must be known
/// to be compared.
fn distinct(items: Vec<Node>) -> Result<Vec<Node>, Failure> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for item in items {
        if seen.insert(json(&item)?.to_string()) {
            out.push(item);
        }
    }
    Ok(out)
}

/// The value as JSON, when every part of it is known.
fn json(node: &Node) -> Result<serde_json::Value, Failure> {
    use serde_json::Value;
    Ok(match &node.kind {
        NodeKind::Null => Value::Null,
        NodeKind::Bool(b) => Value::Bool(*b),
        NodeKind::Number(n) => serde_json::from_str(n).map_err(|_| Failure::Unknown)?,
        NodeKind::String(s) if is_template(s) => return Err(Failure::Unknown),
        // `$${` is how the tree writes a literal `${`.
        NodeKind::String(s) => Value::String(s.replace("$${", "${").replace("%%{", "%{")),
        NodeKind::Array(items) => Value::Array(items.iter().map(json).collect::<Result<_, _>>()?),
        NodeKind::Object(members) => {
            let mut map = serde_json::Map::new();
            for m in members {
                if is_template(&m.key) {
                    return Err(Failure::Unknown);
                }
                map.insert(m.key.to_string(), json(&m.value)?);
            }
            Value::Object(map)
        }
    })
}

/// `format`'s result for the verbs teams use (`%s`, `%d`, `%v`, `%%`);
/// any other verb, or flags and widths, is not evaluated.
fn format(spec: &str, args: &[Node]) -> Result<String, Failure> {
    let mut out = String::new();
    let mut args = args.iter();
    let mut chars = spec.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some('s' | 'd' | 'v') => {
                let arg = args.next().ok_or(Failure::Error)?;
                match &arg.kind {
                    NodeKind::String(s) if !is_template(s) => out.push_str(s),
                    NodeKind::Number(n) => out.push_str(n),
                    NodeKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
                    _ => return Err(Failure::Unknown),
                }
            }
            _ => return Err(Failure::Unknown),
        }
    }
    Ok(out)
}

/// The expression inside a string written as one interpolation,
/// `"${local.rules}"` (Terraform's JSON syntax, or HCL's older style),
/// which Terraform reads as the expression itself; else `span`. Not when
/// the string has escapes (its text is not the expression's).
fn interpolated(text: &str, span: Span) -> Span {
    match text.get(span.start..span.end) {
        Some(s) if s.starts_with("\"${") && s.ends_with("}\"") && s.len() >= 5 && !s.contains('\\') => {
            Span::new(span.start + 3, span.end - 2)
        }
        _ => span,
    }
}

/// Whether a `${…}` expression is a call of one of [`FUNCTIONS`].
pub fn calls_known_function(expr: &str) -> Option<&'static str> {
    let name = expr.trim_start().split('(').next()?.trim_end();
    FUNCTIONS.iter().copied().find(|f| *f == name)
}

/// Each call of a known function in the file whose value is known, and
/// each `var.<name>` / `local.<name>` whose value is a known list or
/// object (a scalar's is read where it is used, with its origin), as the
/// file it would make: the tree with the expression replaced by its value,
/// labelled at the expression. Those that `for_each` takes are left to
/// [`for_each_variants`], and `jsonencode` at the top of a value is a
/// policy, read as one.
pub fn function_variants<'a>(root: &'a Node<'a>, text: &'a str, scope: &Scope<'a>) -> Vec<Variant<'a>> {
    /// A site, and the function it calls (`None`: a reference).
    type Site<'n> = (&'n Node<'n>, Option<&'static str>);
    fn sites<'n>(node: &'n Node<'n>, out: &mut Vec<Site<'n>>) {
        match &node.kind {
            NodeKind::String(s) => {
                if let Some(e) = whole_expression(s) {
                    match calls_known_function(e) {
                        Some("jsonencode") => {}
                        Some(f) => out.push((node, Some(f))),
                        None if e.trim_start().starts_with("var.") || e.trim_start().starts_with("local.") => {
                            out.push((node, None))
                        }
                        None => {}
                    }
                }
            }
            NodeKind::Array(items) => items.iter().for_each(|n| sites(n, out)),
            NodeKind::Object(members) => members
                .iter()
                .filter(|m| m.key != "for_each")
                .for_each(|m| sites(&m.value, out)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    sites(root, &mut found);
    let mut variants = Vec::new();
    for (site, function) in found {
        if variants.len() >= MAX_VARIANTS {
            break;
        }
        let mut evaluator = Evaluator::new(scope, text);
        let Ok(value) = evaluator.value(site) else {
            continue;
        };
        let known = match function {
            Some(_) => !is_leaf(&value),
            None => matches!(value.kind, NodeKind::Array(_) | NodeKind::Object(_)),
        };
        if !known {
            continue;
        }
        let label = match function {
            Some(f) => format!("the value `{f}(…)` gives here, its arguments being known"),
            None => format!(
                "the value of `{}` used here",
                site.as_str().and_then(whole_expression).unwrap_or_default().trim()
            ),
        };
        // The expression's own text is no literal to edit, but those written in a call's arguments are.
        let mut made = evaluator.made;
        made.push(site.span);
        let mut editable = Vec::new();
        literal_spans(&value, &made, &mut editable);
        variants.push(Variant {
            tree: replaced(root, site.span, &value, &|n| n.as_str().is_some()),
            label: Some((site.span, label)),
            made,
            editable,
        });
    }
    variants
}

/// The file as each element of a known collection would make it: a
/// `dynamic` block's `content`, or a resource's instance (its `for_each`
/// or its `count`). `for_each` is known when it is a literal list or map,
/// or `var.<name>` / `local.<name>` whose default or value in this file is
/// one, or a function of them; `count` when it
/// is a number so known. Each tree has `<iterator>.value` (and
/// `<iterator>.value.<attribute>` of an object element) as the element, as
/// written where the collection is (a finding on it points at the
/// element), `<iterator>.key` as the key, `count.index` as the index.
/// Each tree comes with the instance it stands for, labelled at the
/// `dynamic` block's label or the resource's name.
pub fn for_each_variants<'t>(root: &'t Node<'t>, text: &'t str, module: Option<&'t ModuleView>) -> Vec<Variant<'t>> {
    fn dynamic_sites<'t>(node: &'t Node<'t>, out: &mut Vec<(&'t Member<'t>, &'t Node<'t>)>) {
        match &node.kind {
            NodeKind::Array(items) => items.iter().for_each(|n| dynamic_sites(n, out)),
            NodeKind::Object(members) => {
                for m in members {
                    if m.key == "dynamic" {
                        for label in bodies(&m.value).flat_map(|b| b.as_object().unwrap_or_default()) {
                            out.extend(bodies(&label.value).map(|body| (label, body)));
                        }
                    }
                    dynamic_sites(&m.value, out);
                }
            }
            _ => {}
        }
    }
    let scope = Scope::in_module(root, module);
    let mut sites = Vec::new();
    dynamic_sites(root, &mut sites);
    let mut variants = Vec::new();
    let add = |variants: &mut Vec<Variant<'t>>,
               body: &'t Node<'t>,
               made_body: Node<'t>,
               at: Span,
               label: String,
               made: Vec<Span>| {
        let mut editable = Vec::new();
        literal_spans(&made_body, &made, &mut editable);
        variants.push(Variant {
            tree: replaced(root, body.span, &made_body, &|_| true),
            label: Some((at, label)),
            made,
            editable,
        });
    };
    for (label, body) in sites {
        let Some(for_each) = body.get("for_each") else {
            continue;
        };
        let mut evaluator = Evaluator::new(&scope, text);
        let Some(instances) = instances(&mut evaluator, &for_each.value) else {
            continue;
        };
        let iterator = body
            .get("iterator")
            .and_then(|i| i.value.as_str())
            .map(|i| whole_expression(i).unwrap_or(i).trim())
            .unwrap_or(&label.key);
        for (key, key_node, element) in instances {
            if variants.len() >= MAX_VARIANTS {
                return variants;
            }
            let made_body = substituted(body, iterator, &[("value", &element), ("key", &key_node)]);
            let instance = format!("the `dynamic \"{}\"` block made for key `{key}`", label.key);
            add(
                &mut variants,
                body,
                made_body,
                label.key_span,
                instance,
                evaluator.made.clone(),
            );
        }
    }
    // A resource's instances: `for_each` (`each.key`, `each.value`) or `count` (`count.index`).
    for (ty, name, body) in replication_resources(root) {
        let Some((_, made)) = resource_instances(&scope, text, body, MAX_VARIANTS) else {
            continue;
        };
        for instance in made {
            if variants.len() >= MAX_VARIANTS {
                return variants;
            }
            let label = format!("the instance `{}.{}{}`", ty.key, name.key, instance.shown);
            add(&mut variants, body, instance.body, name.key_span, label, instance.made);
        }
    }
    variants
}

/// One instance of a resource with `count` or `for_each`: its body with
/// `count.index` (or `each.key`, `each.value`) as that instance's, in the
/// expressions that name it too (`element(var.regions, count.index)`).
pub struct Instance<'t> {
    /// Its key as Terraform shows it in the address (`[0]`, `["prod"]`).
    pub shown: String,
    pub body: Node<'t>,
    /// Spans of values made for it (no text of the file to edit).
    pub made: Vec<Span>,
}

/// The instances a replication resource's known `count` or `for_each`
/// makes (at most `limit`), with the member that makes them; `None` when
/// it has neither or their number is not known here.
pub fn resource_instances<'t>(
    scope: &Scope<'t>,
    text: &'t str,
    body: &'t Node<'t>,
    limit: usize,
) -> Option<(&'t Member<'t>, Vec<Instance<'t>>)> {
    let mut evaluator = Evaluator::new(scope, text);
    let (meta, made): (&Member<'t>, Vec<(String, Node<'t>, Node<'t>)>) = if let Some(for_each) = body.get("for_each") {
        let instances = instances(&mut evaluator, &for_each.value)?;
        let made = instances
            .into_iter()
            .map(|(k, key, value)| (format!("[\"{k}\"]"), key, value))
            .collect();
        (for_each, made)
    } else {
        let count = body.get("count")?;
        let value = evaluator.value(&count.value).ok()?;
        let NodeKind::Number(n) = &value.kind else {
            return None;
        };
        let n = n.parse::<usize>().ok()?;
        let made = (0..n.min(limit))
            .map(|i| {
                evaluator.made.push(count.value.span);
                let index = Node {
                    span: count.value.span,
                    kind: NodeKind::Number(Str::owned(i.to_string())),
                };
                (format!("[{i}]"), index.clone(), index)
            })
            .collect();
        (count, made)
    };
    let iterator = if meta.key == "count" { "count" } else { "each" };
    let instances = made
        .into_iter()
        .take(limit)
        .map(|(shown, key, value)| {
            let names: Vec<(&'static str, Node<'t>)> = if iterator == "count" {
                vec![("index", key)]
            } else {
                vec![("value", value), ("key", key)]
            };
            let substitutes: Vec<(&str, &Node<'t>)> = names.iter().map(|(n, v)| (*n, v)).collect();
            let substituted_body = substituted(body, iterator, &substitutes);
            let mut instance_evaluator = Evaluator::new(scope, text);
            instance_evaluator.bind(iterator, names);
            let body = with_instance_values(&substituted_body, &mut instance_evaluator, iterator);
            let mut made = evaluator.made.clone();
            made.extend(instance_evaluator.made);
            Instance { shown, body, made }
        })
        .collect();
    Some((meta, instances))
}

/// `node` with each expression that names the instance's `iterator`
/// (`element(var.regions, count.index)`) replaced by its value, when known.
fn with_instance_values<'t>(node: &Node<'t>, evaluator: &mut Evaluator<'_, 't>, iterator: &str) -> Node<'t> {
    if let Some(expr) = node.as_str().and_then(whole_expression) {
        if expr.contains(&format!("{iterator}.")) {
            if let Ok(value) = evaluator.value(node) {
                if !is_leaf(&value) {
                    return value;
                }
            }
        }
        return node.clone();
    }
    let kind = match &node.kind {
        NodeKind::Array(items) => NodeKind::Array(
            items
                .iter()
                .map(|n| with_instance_values(n, evaluator, iterator))
                .collect(),
        ),
        NodeKind::Object(members) => NodeKind::Object(
            members
                .iter()
                .map(|m| Member {
                    value: with_instance_values(&m.value, evaluator, iterator),
                    ..m.clone()
                })
                .collect(),
        ),
        other => other.clone(),
    };
    Node { span: node.span, kind }
}

/// A replication resource whose instances configure one registry: two
/// instances of its `count` or `for_each` with the same Region (its own
/// `region` argument's, or the provider's when it has none).
pub fn repeated_instances<'t>(
    root: &'t Node<'t>,
    text: &'t str,
    module: Option<&'t ModuleView>,
) -> Vec<super::RepeatedInstances> {
    let scope = Scope::in_module(root, module);
    let mut out = Vec::new();
    for (ty, name, body) in replication_resources(root) {
        let Some((meta, instances)) = resource_instances(&scope, text, body, MAX_VARIANTS) else {
            continue;
        };
        // Each instance's Region: the provider's, or its own `region`,
        // which must be known to compare when it differs by instance.
        let iterator = if meta.key == "count" { "count." } else { "each." };
        let own = body.get("region");
        let varies = own.and_then(|m| m.value.as_str()).is_some_and(|t| t.contains(iterator));
        let regions: Option<Vec<Option<String>>> = instances
            .iter()
            .map(|i| match i.body.get("region").filter(|_| varies) {
                None => Some(own.map(|m| m.value.to_value().to_string())),
                Some(m) => m
                    .value
                    .as_str()
                    .filter(|t| !is_template(t))
                    .map(|t| Some(t.to_string())),
            })
            .collect();
        let Some(regions) = regions else { continue };
        let pair = (0..instances.len()).find_map(|b| (0..b).find(|&a| regions[a] == regions[b]).map(|a| (a, b)));
        let Some((a, b)) = pair else { continue };
        let address = format!("{}.{}", ty.key, name.key);
        out.push(super::RepeatedInstances {
            meta: meta.key.to_string(),
            meta_span: meta.key_span,
            count: instances.len(),
            first: format!("{address}{}", instances[a].shown),
            second: format!("{address}{}", instances[b].shown),
            address,
            own_region: regions[a].is_some(),
        });
    }
    out
}

/// The instances a known `for_each` collection makes: each key (as
/// shown, and as a value), and the element. A set's keys are its values
/// (`toset(…)`); a list's, its indexes; a map's, its keys.
fn instances<'t>(evaluator: &mut Evaluator<'_, 't>, for_each: &Node<'t>) -> Option<Vec<(String, Node<'t>, Node<'t>)>> {
    let set = for_each
        .as_str()
        .and_then(whole_expression)
        .is_some_and(|e| e.trim_start().starts_with("toset("));
    let known = evaluator.value(for_each).ok()?;
    let mut made_key = |span: Span, key: &str| {
        evaluator.made.push(span);
        Node {
            span,
            kind: NodeKind::String(Str::owned(key.to_string())),
        }
    };
    Some(match known.kind {
        NodeKind::Array(items) => items
            .into_vec()
            .into_iter()
            .enumerate()
            .map(|(i, n)| match n.as_str().filter(|s| set && !is_template(s)) {
                Some(value) => (value.to_string(), n.clone(), n.clone()),
                None => {
                    let index = Node {
                        span: n.span,
                        kind: NodeKind::Number(Str::owned(i.to_string())),
                    };
                    evaluator.made.push(n.span);
                    (i.to_string(), index, n)
                }
            })
            .collect::<Vec<_>>(),
        NodeKind::Object(members) => members
            .into_vec()
            .into_iter()
            .filter(|m| !is_template(&m.key))
            .map(|m| (m.key.to_string(), made_key(m.key_span, &m.key), m.value))
            .collect(),
        _ => return None,
    })
}

/// `node` with `<iterator>.<name>` (and `<iterator>.<name>.<attribute>`
/// of an object) replaced by the node given for `name`.
fn substituted<'t>(node: &Node<'t>, iterator: &str, with: &[(&str, &Node<'t>)]) -> Node<'t> {
    if let Some(expr) = node.as_str().and_then(whole_expression) {
        let found = expr
            .strip_prefix(iterator)
            .and_then(|r| r.strip_prefix('.'))
            .and_then(|r| {
                with.iter().find_map(|(name, value)| {
                    let rest = r.strip_prefix(name)?;
                    (rest.is_empty() || rest.starts_with(['.', ' '])).then_some((rest.trim(), *value))
                })
            });
        match found {
            Some(("", value)) => return value.clone(),
            Some((attribute, value)) => {
                let member = attribute
                    .strip_prefix('.')
                    .filter(|a| a.chars().all(|c| c.is_alphanumeric() || c == '_'))
                    .and_then(|a| value.get(a));
                if let Some(m) = member {
                    return m.value.clone();
                }
            }
            None => {}
        }
    }
    node.map_values(|_, n| substituted(n, iterator, with))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value of the `value` local of `text`, as the text of each leaf
    /// where it is written (or made).
    fn evaluated(text: &str) -> Result<String, Failure> {
        let root = crate::syntax::hcl::parse(text.as_bytes()).unwrap();
        let scope = Scope::new(&root);
        let mut evaluator = Evaluator::new(&scope, text);
        let value = evaluator.value(scope.named("local", "value").unwrap())?;
        fn shown(node: &Node, text: &str) -> String {
            match &node.kind {
                NodeKind::Array(items) => {
                    format!(
                        "[{}]",
                        items.iter().map(|n| shown(n, text)).collect::<Vec<_>>().join(" ")
                    )
                }
                NodeKind::Object(members) => format!(
                    "{{{}}}",
                    members
                        .iter()
                        .map(|m| format!("{}={}", m.key, shown(&m.value, text)))
                        .collect::<Vec<_>>()
                        .join(" ")
                ),
                _ => text[node.span.start..node.span.end].to_string(),
            }
        }
        Ok(shown(&value, text))
    }

    fn with(value: &str) -> String {
        format!(
            "variable \"regions\" {{\n  default = [\"eu-west-1\", \"us-weast-2\"]\n}}\nlocals {{\n  extra = {{ dr = \"ap-south-1\" }}\n  value = {value}\n}}\n"
        )
    }

    #[test]
    fn known_arguments_give_values_written_where_their_literals_are() {
        let cases = [
            (
                "concat(var.regions, [\"us-east-1\"])",
                "[\"eu-west-1\" \"us-weast-2\" \"us-east-1\"]",
            ),
            (
                "flatten([var.regions, [[\"a\"]]])",
                "[\"eu-west-1\" \"us-weast-2\" \"a\"]",
            ),
            (
                "distinct(concat(var.regions, var.regions))",
                "[\"eu-west-1\" \"us-weast-2\"]",
            ),
            ("toset([\"b\", \"a\", \"b\"])", "[\"a\" \"b\"]"),
            (
                "merge({ b = \"x\" }, local.extra, { b = \"y\" })",
                "{b=\"y\" dr=\"ap-south-1\"}",
            ),
            ("lookup(local.extra, \"dr\", \"us-east-1\")", "\"ap-south-1\""),
            ("lookup(local.extra, \"prod\", \"us-east-1\")", "\"us-east-1\""),
            ("try(local.extra.prod, var.regions[1])", "\"us-weast-2\""),
            ("coalesce(\"\", null, var.regions[0])", "\"eu-west-1\""),
            ("element(var.regions, 3)", "\"us-weast-2\""),
            ("keys(merge(local.extra, { a = 1 }))", "[a dr]"),
            ("values(local.extra)", "[\"ap-south-1\"]"),
            ("tolist(concat([var.regions, []]...))", "[\"eu-west-1\" \"us-weast-2\"]"),
        ];
        for (expression, value) in cases {
            assert_eq!(evaluated(&with(expression)).as_deref(), Ok(value), "{expression}");
        }
        // A made value is given the call's span.
        let text = with("format(\"%s/%d\", \"prod\", 2)");
        assert_eq!(evaluated(&text).as_deref(), Ok("format(\"%s/%d\", \"prod\", 2)"));
        let root = crate::syntax::hcl::parse(text.as_bytes()).unwrap();
        let scope = Scope::new(&root);
        let value = Evaluator::new(&scope, &text)
            .value(scope.named("local", "value").unwrap())
            .unwrap();
        assert_eq!(value.as_str(), Some("prod/2"));
    }

    #[test]
    fn an_instance_reads_count_index_and_each_in_the_expressions_naming_them() {
        let text = "variable \"regions\" {\n  default = [\"eu-west-1\", \"us-weast-2\"]\n}\nresource \"aws_ecr_replication_configuration\" \"r\" {\n  count = length(var.regions) > 0 ? 2 : 0\n  region = var.regions[count.index]\n}\nresource \"aws_ecr_replication_configuration\" \"e\" {\n  for_each = { a = { r = \"ap-south-1\" } }\n  region = lookup(each.value, \"r\")\n}\n";
        let root = crate::syntax::hcl::parse(text.as_bytes()).unwrap();
        let scope = Scope::new(&root);
        let regions: Vec<Vec<String>> = replication_resources(&root)
            .map(|(_, _, body)| {
                resource_instances(&scope, text, body, MAX_VARIANTS)
                    .map(|(_, instances)| {
                        instances
                            .iter()
                            .map(|i| {
                                let at = i.body.get("region").unwrap().value.span;
                                format!("{}={}", i.shown, &text[at.start..at.end])
                            })
                            .collect()
                    })
                    .unwrap_or_default()
            })
            .collect();
        // A count that is an operation is not known; a map's element is.
        assert_eq!(regions, [vec![], vec!["[\"a\"]=\"ap-south-1\"".to_string()]]);
        let counted = text.replace("length(var.regions) > 0 ? 2 : 0", "2");
        let root = crate::syntax::hcl::parse(counted.as_bytes()).unwrap();
        let scope = Scope::new(&root);
        let (_, _, body) = replication_resources(&root).next().unwrap();
        let (meta, instances) = resource_instances(&scope, &counted, body, MAX_VARIANTS).unwrap();
        assert_eq!(meta.key, "count");
        let shown: Vec<String> = instances
            .iter()
            .map(|i| {
                let at = i.body.get("region").unwrap().value.span;
                counted[at.start..at.end].to_string()
            })
            .collect();
        assert_eq!(shown, ["\"eu-west-1\"", "\"us-weast-2\""]);
    }

    #[test]
    fn what_is_not_known_stays_unknown() {
        for expression in [
            "concat(var.other, [\"a\"])",
            "coalesce(var.other, \"us-east-1\")",
            "try(var.other.x, \"us-east-1\")",
            "format(\"%q\", \"a\")",
            "upper(\"a\")",
            "lookup(local.extra, var.other)",
            "flatten([var.other])",
        ] {
            let value = evaluated(&with(expression));
            assert!(
                value.is_err() || value.as_deref() == Ok(expression),
                "{expression}: {value:?}"
            );
        }
        assert_eq!(evaluated(&with("lookup(local.extra, \"prod\")")), Err(Failure::Error));
    }
}
