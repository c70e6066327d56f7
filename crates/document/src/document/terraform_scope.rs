//! A Terraform file's values: the scope its expressions are read in
//! (variables, locals, a module's inputs, the provider's Region) and the
//! builder of its configurations' typed view. Apart from the tree helpers
//! of [`super::terraform`], which the module reader uses too.

use super::dialect::{scalar_value, Dialect, Keys};
use super::module::{default_label, local_label, FolderValues, Known, ModuleView};
use super::terraform::*;
use super::{Configuration, Destination, List, Pseudo, RepositoryFilter, Rule, Scalar, Value, ValueOrigin};
use crate::syntax::{Member, Node, NodeKind, Span};
use std::collections::HashMap;

/// What a file says about the names its expressions use, read once.
pub struct Scope<'a> {
    variables: HashMap<&'a str, &'a Node<'a>>,
    locals: HashMap<&'a str, &'a Node<'a>>,
    data: HashMap<(&'a str, &'a str), &'a Node<'a>>,
    /// `aws` provider bodies by alias (`aws` for the one without).
    providers: HashMap<String, &'a Node<'a>>,
    /// The other files of the folder, when the file is read as part of it.
    module: Option<&'a ModuleView>,
    /// The trees of the values the folder's other files write, when read.
    folder: Option<&'a FolderValues<'a>>,
}

/// Where a resolved value was read from.
enum From<'a> {
    /// A node of this file.
    Here(&'a Node<'a>),
    /// A value written in another file of the module.
    Module(&'a Known),
}

/// A resolved expression, and where its value was read from.
struct Resolved<'a> {
    value: Value<'a>,
    from: Option<(From<'a>, String)>,
}

impl<'a> Scope<'a> {
    pub fn new(root: &'a Node<'a>) -> Scope<'a> {
        Scope::in_module(root, None)
    }

    /// The scope of a file read as part of its folder's module.
    pub fn in_module(root: &'a Node<'a>, module: Option<&'a ModuleView>) -> Scope<'a> {
        let mut scope = Scope {
            variables: HashMap::new(),
            locals: HashMap::new(),
            data: HashMap::new(),
            providers: HashMap::new(),
            module,
            folder: None,
        };
        for (name, body) in labelled(root, "variable") {
            if let Some(d) = body.get("default") {
                scope.variables.insert(&name.key, &d.value);
            }
        }
        for m in members(root, "locals").flat_map(|m| bodies(&m.value)) {
            for local in m.as_object().unwrap_or_default() {
                scope.locals.insert(&local.key, &local.value);
            }
        }
        // A value an override file of the folder replaces is not this file's to give.
        if let Some((m, own)) = module.and_then(|v| Some((&v.module, v.own?))) {
            scope.variables.retain(|name, _| !m.is_overridden("var", name, own));
            scope.locals.retain(|name, _| !m.is_overridden("local", name, own));
        }
        for (ty, name, body) in labelled2(root, "data") {
            scope.data.insert((&ty.key, &name.key), body);
        }
        for (name, body) in labelled(root, "provider").filter(|(n, _)| n.key == "aws") {
            let alias = body.get("alias").and_then(|a| a.value.as_str());
            let key = alias.map_or_else(|| name.key.to_string(), |a| format!("aws.{a}"));
            scope.providers.insert(key, body);
        }
        scope
    }

    /// The scope with the values the folder's other files write, as
    /// trees (a list of rules in `locals.tf`): [`Scope::named`] reads them
    /// where this file does not write the name.
    pub fn with_folder(self, folder: &'a FolderValues<'a>) -> Scope<'a> {
        Scope {
            folder: Some(folder),
            ..self
        }
    }

    /// The value `var.<name>` or `local.<name>` has, when it is written in
    /// this file (or, [`Scope::with_folder`], in another of the folder): a
    /// variable's default only when nothing sets the variable elsewhere (a
    /// tfvars entry, `--var`), whose value would win.
    pub fn named(&self, kind: &str, name: &str) -> Option<&'a Node<'a>> {
        let folder = |pick: fn(&'a FolderValues<'a>) -> &'a HashMap<&'a str, &'a Node<'a>>| {
            self.folder.and_then(|f| pick(f).get(name).copied())
        };
        match kind {
            "var" if self.module.is_some_and(|m| m.module.assigned(name).is_some()) => folder(|f| &f.assigned),
            "var" => self.variables.get(name).copied().or_else(|| folder(|f| &f.defaults)),
            "local" => self.locals.get(name).copied().or_else(|| folder(|f| &f.locals)),
            _ => None,
        }
    }

    /// What a label at the value of `expression` (`var.<name>`,
    /// `local.<name>`) calls it, in the words of the values read here: a
    /// tfvars entry or `--var` wins over the default, a default is one
    /// unless set elsewhere. `None`: no such name, or another expression.
    pub fn label(&self, expression: &str) -> Option<String> {
        let module = self.module.map(|m| (&*m.module, m.own));
        match expression.split('.').map(str::trim).collect::<Vec<_>>().as_slice() {
            ["var", name] => {
                if let Some(known) = module.and_then(|(m, _)| m.assigned(name)) {
                    return Some(known.label.clone());
                }
                if self.variables.contains_key(name) {
                    return Some(default_label(name));
                }
                module
                    .and_then(|(m, own)| m.variable_default(name, own))
                    .map(|k| k.label.clone())
            }
            ["local", name] => {
                if self.locals.contains_key(name) {
                    return Some(local_label(name));
                }
                module.and_then(|(m, own)| m.local(name, own)).map(|k| k.label.clone())
            }
            _ => None,
        }
    }

    /// A literal value (a string that is no template, a number, a bool).
    fn literal(node: &'a Node<'a>) -> Option<Value<'a>> {
        match &node.kind {
            NodeKind::String(s) if is_template(s) => None,
            NodeKind::String(_) | NodeKind::Number(_) | NodeKind::Bool(_) => scalar_value(node, true),
            _ => None,
        }
    }

    /// What a `${...}` string means, read with `provider` as the resource's.
    fn resolve(&self, text: &'a str, provider: &str) -> Resolved<'a> {
        let unknown = Resolved {
            value: Value::Dynamic,
            from: None,
        };
        let Some(expr) = whole_expression(text) else {
            return Resolved {
                value: Value::Template(text),
                from: None,
            };
        };
        let parts: Vec<&str> = expr.split('.').map(str::trim).collect();
        let from_node = |node: &'a Node<'a>, label: String| match Self::literal(node) {
            Some(value) => Resolved {
                value,
                from: Some((From::Here(node), label)),
            },
            None => Resolved {
                value: Value::Dynamic,
                from: None,
            },
        };
        let module = self.module.map(|m| (&*m.module, m.own));
        match parts.as_slice() {
            ["var", name] => {
                if let Some(known) = module.and_then(|(m, _)| m.assigned(name)) {
                    return Self::from_module(known);
                }
                match self.variables.get(name) {
                    Some(d) => from_node(d, default_label(name)),
                    None => module
                        .and_then(|(m, own)| m.variable_default(name, own))
                        .map_or(unknown, Self::from_module),
                }
            }
            ["local", name] => match self.locals.get(name) {
                Some(v) => from_node(v, local_label(name)),
                None => module
                    .and_then(|(m, own)| m.local(name, own))
                    .map_or(unknown, Self::from_module),
            },
            ["data", "aws_caller_identity", name, "account_id" | "id"] => {
                let same = match self.data.get(&("aws_caller_identity", *name)) {
                    Some(body) => provider_ref(body) == provider,
                    None => provider == "aws",
                };
                Resolved {
                    value: if same {
                        Value::Pseudo(Pseudo::AccountId)
                    } else {
                        Value::Dynamic
                    },
                    from: None,
                }
            }
            ["data", "aws_region", name, "name" | "region" | "id"] => {
                let body = self.data.get(&("aws_region", *name));
                // A data source that names a Region is that Region, not the provider's.
                if let Some(named) = body.and_then(|b| b.get("region").or_else(|| b.get("name"))) {
                    return from_node(&named.value, format!("the Region `data.aws_region.{name}` names"));
                }
                let same = body.map_or(provider == "aws", |b| provider_ref(b) == provider);
                Resolved {
                    value: if same {
                        Value::Pseudo(Pseudo::Region)
                    } else {
                        Value::Dynamic
                    },
                    from: None,
                }
            }
            _ => unknown,
        }
    }

    /// A value written in another file of the module: its text, when literal.
    fn from_module(known: &'a Known) -> Resolved<'a> {
        match &known.text {
            Some(text) => Resolved {
                value: match crate::facts::facts().placeholder(text) {
                    Some(why) => Value::Placeholder(text, why),
                    None => Value::Text(text),
                },
                from: Some((From::Module(known), known.label.clone())),
            },
            None => Resolved {
                value: Value::Dynamic,
                from: None,
            },
        }
    }

    /// The scalar at `parent.key`, its Terraform expression resolved; the
    /// origin of a value read from elsewhere is noted.
    pub fn scalar(
        &self,
        parent: &'a Node<'a>,
        key: &str,
        provider: &str,
        origins: &mut Vec<ValueOrigin>,
    ) -> Option<Scalar<'a>> {
        let node = &parent.get(key)?.value;
        let own = scalar_value(node, true)?;
        let resolved = match &node.kind {
            NodeKind::String(s) if is_template(s) => {
                let r = self.resolve(s, provider);
                match r.from {
                    Some((From::Here(from), label)) => origins.push(ValueOrigin {
                        at: node.span,
                        from: from.span,
                        label,
                        from_string: from.as_str().is_some(),
                        file: None,
                        reported_there: false,
                    }),
                    Some((From::Module(known), label)) => {
                        let view = self.module;
                        origins.push(ValueOrigin {
                            at: node.span,
                            from: known.span,
                            label,
                            from_string: false,
                            file: view.and_then(|v| v.module.files.get(known.file)).cloned(),
                            reported_there: view.is_some_and(|v| v.reported_in(known.file)),
                        });
                    }
                    None => {}
                }
                Some(r.value)
            }
            _ => None,
        };
        Some(Scalar::with_value(
            node,
            true,
            resolved.is_some(),
            resolved.unwrap_or(own),
        ))
    }

    /// The Region a resource or module is applied in: its own `region`
    /// argument (provider 6), else its provider's literal `region`.
    pub fn source_region(&self, body: &'a Node<'a>, origins: &mut Vec<ValueOrigin>) -> Option<Scalar<'a>> {
        let provider = provider_ref(body);
        let own = body.get("region").map(|_| body);
        let holder = own.or_else(|| self.providers.get(provider).copied())?;
        let scalar = self.scalar(holder, "region", provider, origins)?;
        scalar.text().map(|_| scalar)
    }

    /// The provider a module passes on as `aws` (`providers = { aws = aws.west }`).
    pub fn module_provider(body: &'a Node<'a>) -> &'a str {
        body.get("providers")
            .and_then(|p| p.value.get("aws"))
            .and_then(|a| a.value.as_str())
            .map(|s| whole_expression(s).unwrap_or(s).trim())
            .unwrap_or("aws")
    }

    /// The provider body a reference names, for its `region`.
    pub fn provider_region(&self, provider: &str, origins: &mut Vec<ValueOrigin>) -> Option<Scalar<'a>> {
        let body = self.providers.get(provider)?;
        let scalar = self.scalar(body, "region", provider, origins)?;
        scalar.text().map(|_| scalar)
    }
}

/// How a configuration's lists are written: nested blocks (a list of
/// bodies, or one body, plus `dynamic` blocks) or plain list values.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Lists {
    Blocks,
    Values,
}

/// Builds typed views of Terraform configurations.
pub struct Builder<'s, 'a> {
    pub scope: &'s Scope<'a>,
    pub dialect: Dialect,
    pub lists: Lists,
    pub provider: &'s str,
    pub origins: &'s mut Vec<ValueOrigin>,
}

impl<'a> Builder<'_, 'a> {
    fn keys(&self) -> &'static Keys {
        self.dialect.keys
    }

    /// The list under `key` (or the one slip of it among `siblings`, read
    /// as it, as [`super::build::list_member`] reads the API's lists): its
    /// items, and for blocks the `content` of each `dynamic "<key>"` block
    /// (or a slip of the label or of `content`), as alternatives: how many
    /// it makes is unknown.
    fn list<T>(
        &mut self,
        parent: &'a Node<'a>,
        key: &str,
        siblings: &[&str],
        own: Option<&'a Member<'a>>,
        mut item: impl FnMut(&mut Self, usize, &'a Node<'a>) -> T,
    ) -> Option<List<'a, T>> {
        let own = own.or_else(|| super::build::list_member(parent, key, siblings));
        let mut found: Option<(&'a Node<'a>, Span)> = own.map(|m| (&m.value, m.key_span));
        let mut items = Vec::new();
        if let Some(m) = own {
            match (&m.value.kind, self.lists) {
                (NodeKind::Array(values), _) => {
                    for (i, n) in values.iter().enumerate().filter(|(_, n)| n.as_object().is_some()) {
                        items.push(item(self, i, n));
                    }
                }
                (NodeKind::Object(_), Lists::Blocks) => items.push(item(self, 0, &m.value)),
                _ => {}
            }
        }
        let mut branches = Vec::new();
        if self.lists == Lists::Blocks {
            for block in dynamic_blocks(parent, key, siblings) {
                found.get_or_insert((&block.value, block.key_span));
                for body in bodies(&block.value) {
                    for content in dynamic_content(body).into_iter().flat_map(|c| bodies(&c.value)) {
                        branches.push(item(self, 0, content));
                    }
                }
            }
        }
        let (node, key_span) = found?;
        Some(List {
            node,
            key_span,
            items,
            branches,
        })
    }

    fn scalar(&mut self, parent: &'a Node<'a>, key: &str) -> Option<Scalar<'a>> {
        if !self.dialect.deploy_time_values {
            // Plan values are resolved: a `${` there is literal text.
            return super::build::scalar(parent, key, self.dialect);
        }
        self.scope.scalar(parent, key, self.provider, self.origins)
    }

    fn rule(&mut self, index: usize, node: &'a Node<'a>) -> Rule<'a> {
        let keys = self.keys();
        let siblings = [keys.destinations, keys.repository_filters];
        let destinations = self.list(node, keys.destinations, &siblings, None, |b, _, n| Destination {
            node: n,
            region: b.scalar(n, keys.region),
            registry_id: b.scalar(n, keys.registry_id),
        });
        let repository_filters = self
            .list(node, keys.repository_filters, &siblings, None, |b, _, n| {
                RepositoryFilter {
                    node: n,
                    filter: b.scalar(n, keys.filter),
                    filter_type: b.scalar(n, keys.filter_type),
                }
            })
            // An empty list makes no `repository_filter` blocks: every repository.
            .filter(|l| !(l.items.is_empty() && l.branches.is_empty() && l.node.as_array().is_some()));
        Rule {
            index,
            node,
            destinations,
            repository_filters,
            delete_replication: None,
        }
    }

    /// The configuration whose rules are under `keys.rules` in `node`.
    pub fn configuration(&mut self, node: &'a Node<'a>) -> Configuration<'a> {
        self.configuration_with(node, None)
    }

    /// The configuration whose rules are `rules` (a module input found
    /// under a slip of its name), or under `keys.rules` in `node`.
    pub fn configuration_with(&mut self, node: &'a Node<'a>, rules: Option<&'a Member<'a>>) -> Configuration<'a> {
        let key = self.keys().rules;
        let rules = self.list(node, key, &[key], rules, |b, i, n| b.rule(i, n));
        Configuration::new(self.dialect, node, rules)
    }
}
