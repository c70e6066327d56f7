//! Lets the schema validator read our span tree directly (jsonschema's
//! custom-representation API), instead of a `serde_json::Value` copy of the
//! whole file: half the memory and time on large inputs. Duplicate keys
//! resolve as everywhere else: the last member wins.

use crate::syntax::{Member, Node as Tree, NodeKind};
use jsonschema::json::{Array, Json, JsonNumber, Node, NodeIdentity, Object};
use jsonschema::types::JsonType;
use jsonschema_value::LazyInstance;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::OnceLock;

/// The representation marker passed to `jsonschema::options_for`.
pub struct SpanJson;

/// A node of the span tree with the source it came from, or a bare string
/// (`propertyNames` checks names).
#[derive(Clone, Copy)]
pub enum Instance<'a> {
    Tree(&'a Tree<'a>, &'a str),
    Name(&'a str),
}

impl Json for SpanJson {
    type Node<'a> = Instance<'a>;
    type PreparedKey = String;
    type StringBuffer = ();

    const ACYCLIC: bool = true;

    fn prepare_key(key: &str) -> String {
        key.to_owned()
    }

    fn with_string_node<T>((): &mut (), string: &str, f: impl FnOnce(Instance<'_>) -> T) -> T {
        f(Instance::Name(string))
    }
}

#[derive(Clone, Copy)]
pub struct Members<'a>(&'a [Member<'a>], &'a str);

#[derive(Clone, Copy)]
pub struct Items<'a>(&'a [Tree<'a>], &'a str);

pub struct Number<'a>(&'a str);

impl<'a> Node<'a, SpanJson> for Instance<'a> {
    type Object = Members<'a>;
    type Array = Items<'a>;
    type Number = Number<'a>;

    fn as_object(&self) -> Option<Members<'a>> {
        match self {
            Instance::Tree(
                Tree {
                    kind: NodeKind::Object(m),
                    ..
                },
                src,
            ) => Some(Members(m, src)),
            _ => None,
        }
    }

    fn as_array(&self) -> Option<Items<'a>> {
        match self {
            Instance::Tree(
                Tree {
                    kind: NodeKind::Array(items),
                    ..
                },
                src,
            ) => Some(Items(items, src)),
            _ => None,
        }
    }

    fn as_string(&self) -> Option<Cow<'a, str>> {
        match *self {
            Instance::Tree(
                Tree {
                    kind: NodeKind::String(s),
                    ..
                },
                _,
            ) => Some(Cow::Borrowed(s.as_ref())),
            Instance::Name(s) => Some(Cow::Borrowed(s)),
            _ => None,
        }
    }

    fn as_number(&self) -> Option<Number<'a>> {
        match *self {
            Instance::Tree(t, _) => match &t.kind {
                NodeKind::Number(text) => Some(Number(text.as_ref())),
                _ => None,
            },
            Instance::Name(_) => None,
        }
    }

    fn as_boolean(&self) -> Option<bool> {
        match self {
            Instance::Tree(
                Tree {
                    kind: NodeKind::Bool(b),
                    ..
                },
                _,
            ) => Some(*b),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        matches!(
            self,
            Instance::Tree(
                Tree {
                    kind: NodeKind::Null,
                    ..
                },
                _
            )
        )
    }

    fn json_type(&self) -> JsonType {
        match self {
            Instance::Name(_) => JsonType::String,
            Instance::Tree(t, _) => match t.kind {
                NodeKind::Null => JsonType::Null,
                NodeKind::Bool(_) => JsonType::Boolean,
                NodeKind::Number(_) => JsonType::Number,
                NodeKind::String(_) => JsonType::String,
                NodeKind::Array(_) => JsonType::Array,
                NodeKind::Object(_) => JsonType::Object,
            },
        }
    }

    fn to_value(&self) -> Cow<'a, Value> {
        Cow::Owned(match self {
            Instance::Tree(t, _) => t.to_value(),
            Instance::Name(s) => Value::String((*s).to_string()),
        })
    }

    /// Errors carry their instance; building it eagerly would copy the whole
    /// list for every `maxItems` error, so it is built from the text on demand.
    /// A scalar is cheap to build, and its text may be YAML, which the
    /// deferred JSON reading would turn into `null`.
    fn lazy_value(&self) -> LazyInstance<'a> {
        match *self {
            Instance::Tree(t, _) if !matches!(t.kind, NodeKind::Array(_) | NodeKind::Object(_)) => {
                LazyInstance::Ready(self.to_value())
            }
            Instance::Tree(t, src) => LazyInstance::Deferred {
                bytes: &src.as_bytes()[t.span.start..t.span.end],
                tag: 0,
                make: value_from_text,
                cell: OnceLock::new(),
            },
            Instance::Name(_) => LazyInstance::Ready(self.to_value()),
        }
    }

    fn identity(&self) -> Option<NodeIdentity> {
        match self {
            Instance::Tree(t, _) => Some(NodeIdentity::new(std::ptr::from_ref::<Tree>(t) as usize)),
            Instance::Name(_) => None,
        }
    }
}

/// Which members win for their key: `None` when no key repeats (the usual
/// case, checked without allocating for small objects), else a mask.
fn winners(members: &[Member]) -> Option<Vec<bool>> {
    let repeated = if members.len() <= 16 {
        members
            .iter()
            .enumerate()
            .any(|(i, m)| members[i + 1..].iter().any(|n| n.key == m.key))
    } else {
        let mut seen = HashSet::with_capacity(members.len());
        !members.iter().all(|m| seen.insert(m.key.as_ref()))
    };
    if !repeated {
        return None;
    }
    let mut seen = HashSet::with_capacity(members.len());
    let mut mask: Vec<bool> = members.iter().rev().map(|m| seen.insert(m.key.as_ref())).collect();
    mask.reverse();
    Some(mask)
}

pub struct MembersIter<'a> {
    members: std::iter::Enumerate<std::slice::Iter<'a, Member<'a>>>,
    source: &'a str,
    mask: Option<Vec<bool>>,
}

impl<'a> Iterator for MembersIter<'a> {
    type Item = (&'a str, Instance<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let (i, m) = self.members.next()?;
            if self.mask.as_ref().is_none_or(|mask| mask[i]) {
                return Some((m.key.as_ref(), Instance::Tree(&m.value, self.source)));
            }
        }
    }
}

impl<'a> Object<'a, SpanJson> for Members<'a> {
    type Node = Instance<'a>;
    type MemberName = &'a str;
    type MembersIter = MembersIter<'a>;

    fn len(&self) -> usize {
        winners(self.0).map_or(self.0.len(), |mask| mask.iter().filter(|w| **w).count())
    }

    fn get(&self, key: &String) -> Option<Instance<'a>> {
        self.0
            .iter()
            .rev()
            .find(|m| m.key == key.as_str())
            .map(|m| Instance::Tree(&m.value, self.1))
    }

    fn members(&self) -> MembersIter<'a> {
        MembersIter {
            members: self.0.iter().enumerate(),
            source: self.1,
            mask: winners(self.0),
        }
    }
}

pub struct ItemsIter<'a> {
    items: std::slice::Iter<'a, Tree<'a>>,
    source: &'a str,
}

impl<'a> Iterator for ItemsIter<'a> {
    type Item = Instance<'a>;

    fn next(&mut self) -> Option<Instance<'a>> {
        self.items.next().map(|t| Instance::Tree(t, self.source))
    }
}

impl<'a> Array<'a, SpanJson> for Items<'a> {
    type Node = Instance<'a>;
    type ElementsIter = ItemsIter<'a>;

    fn len(&self) -> usize {
        self.0.len()
    }

    fn elements(&self) -> ItemsIter<'a> {
        ItemsIter {
            items: self.0.iter(),
            source: self.1,
        }
    }
}

/// Rebuilds a node's value from its text (a valid JSON value: the parser
/// accepted it). Duplicate keys: last wins, as in the tree.
fn value_from_text(bytes: &[u8], _tag: u32) -> Value {
    crate::syntax::json::parse(bytes)
        .map(|n| n.to_value())
        .unwrap_or(Value::Null)
}

impl JsonNumber for Number<'_> {
    fn as_u64(&self) -> Option<u64> {
        self.to_number().as_u64()
    }

    fn as_i64(&self) -> Option<i64> {
        self.to_number().as_i64()
    }

    fn as_f64(&self) -> Option<f64> {
        self.to_number().as_f64()
    }

    fn as_str(&self) -> Cow<'_, str> {
        Cow::Borrowed(self.0)
    }

    /// Numbers an f64 cannot hold become ±f64::MAX: no ECR field is numeric,
    /// so only their type matters.
    fn to_number(&self) -> Cow<'_, serde_json::Number> {
        let big = if self.0.starts_with('-') { f64::MIN } else { f64::MAX };
        Cow::Owned(
            serde_json::from_str(self.0)
                .ok()
                .or_else(|| serde_json::Number::from_f64(big))
                .expect("f64::MAX is finite"),
        )
    }
}
