//! Schema files as validators: each file with the definitions it imports
//! made local, compiled per definition (draft 7, annotations stripped) and
//! cached for the process.

use super::instance::SpanJson;
use crate::document::shape::SchemaFile;
use jsonschema::Validator;
use serde_json::Value;
use std::sync::{OnceLock, RwLock};

/// The schema a validator is built from, with the `$defs` of the files it
/// imports copied in under `<id>:` and its `$ref`s to them made local, so no
/// resolver or network is involved. Built once per file.
pub fn schema_value(file: &'static SchemaFile) -> &'static Value {
    static CACHE: OnceLock<RwLock<Vec<(&'static str, &'static Value)>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some((_, v)) = read(cache).iter().find(|(id, _)| *id == file.id) {
        return v;
    }
    let mut value: Value = serde_json::from_str(file.text).expect("embedded schema is JSON (checked by tests)");
    for import in file.imports {
        let prefix = format!("#/$defs/{}:", import.id);
        let imported = schema_value(import)["$defs"].as_object().cloned().unwrap_or_default();
        let defs = value["$defs"].as_object_mut().expect("a schema file has $defs");
        for (name, mut def) in imported {
            rewrite_refs(&mut def, "#/$defs/", &prefix);
            defs.insert(format!("{}:{name}", import.id), def);
        }
        rewrite_refs(&mut value, &format!("{}#/$defs/", import.name), &prefix);
    }
    // A handful of files, each built once per process: leaking them gives
    // `'static` values without a lifetime on every caller.
    let value: &'static Value = Box::leak(Box::new(value));
    write(cache).push((file.id, value));
    value
}

// Read locks: every file looks its validator up, on every worker at once,
// and a mutex made them wait on each other (futex calls per file).
fn read<T>(m: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    m.read().unwrap_or_else(|e| e.into_inner())
}

fn write<T>(m: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    m.write().unwrap_or_else(|e| e.into_inner())
}

fn rewrite_refs(v: &mut Value, from: &str, to: &str) {
    match v {
        Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                match child {
                    Value::String(r) if k == "$ref" && r.starts_with(from) && !r.starts_with(to) => {
                        *r = format!("{to}{}", &r[from.len()..]);
                    }
                    _ => rewrite_refs(child, from, to),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| rewrite_refs(i, from, to)),
        _ => {}
    }
}

/// Builds, on another thread, what a check of the first file waits for
/// and that is the same whatever the file: jsonschema's own validator of the
/// draft-7 meta-schema, which checks every schema before it compiles (a
/// fifth of a small file's run), then the facts the rules read (a sixth). A
/// one-file run reads its settings and its file and compiles its validator
/// on one core while the other builds these, instead of one after the other.
/// (jsonschema offers no way to skip the meta-schema check; our schemas are
/// ours, and tests compile every definition with it.)
pub fn prepare_in_background() {
    // Detached: a run that needs neither ends without waiting for it, and
    // one that does waits on the once-only initialisation it is in.
    let _ = std::thread::Builder::new().name("warm-up".into()).spawn(|| {
        drop(jsonschema::draft7::meta::validator());
        crate::facts::facts();
    });
}

/// A compiled validator, by schema file id and definition.
type Compiled = ((&'static str, &'static str), &'static Layer);

/// Compiled once per shape, and only for shapes that occur: a single-file
/// run pays for one validator.
pub fn validator(file: &'static SchemaFile, def: &'static str) -> &'static Layer {
    static CACHE: OnceLock<RwLock<Vec<Compiled>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some((_, v)) = read(cache).iter().find(|(k, _)| *k == (file.id, def)) {
        return v;
    }
    // A handful of shapes exist, each compiled once per process: leaking
    // them gives `'static` validators without a lifetime on every caller.
    let v: &'static Layer = Box::leak(Box::new(Layer::new(compile_form(schema_value(file), def))));
    write(cache).push(((file.id, def), v));
    v
}

/// A schema's validator, and on demand the same schema split where it checks
/// the values one level down: its properties' schemas and its items'. The
/// errors of a failing document are then collected from the values that
/// fail only (each value below is asked `is_valid` first, which stops at
/// its first error), not by walking the whole tree again for its errors:
/// a 10 MB file over the rule quota spent 474 M instructions (25 %) there.
pub struct Layer {
    schema: Value,
    whole: OnceLock<Validator<SpanJson>>,
    split: OnceLock<Split>,
}

/// A schema's own checks, and the schemas of the values under it.
pub struct Split {
    /// The schema with its properties' and items' schemas made `true`
    /// (`None`: it has none, the whole validator says the same).
    pub shallow: Option<Validator<SpanJson>>,
    pub properties: Vec<(String, Layer)>,
    pub items: Option<Box<Layer>>,
}

impl Layer {
    fn new(schema: Value) -> Layer {
        Layer {
            schema,
            whole: OnceLock::new(),
            split: OnceLock::new(),
        }
    }

    pub fn whole(&self) -> &Validator<SpanJson> {
        self.whole.get_or_init(|| build(&self.schema))
    }

    /// The errors of the schema are those of `shallow` and, prefixed with
    /// their key or index, those of each property's and item's schema: the
    /// keywords split off are the schema object's own (not under `anyOf`,
    /// `not` or another branch), so they are checked as a conjunction, and
    /// each applies to its value alone.
    pub fn split(&self) -> &Split {
        self.split.get_or_init(|| {
            let defs = self.schema.get("$defs");
            // A schema one level down is compiled alone: the definitions it
            // may reference (those in a cycle) go with it.
            let child = |sub: &Value| {
                let mut sub = sub.clone();
                if let (Some(map), Some(defs)) = (sub.as_object_mut(), defs) {
                    map.insert("$defs".into(), defs.clone());
                }
                Layer::new(sub)
            };
            let descends = |sub: &Value| sub.as_object().is_some_and(|m| !m.is_empty());
            let mut shallow = self.schema.clone();
            let mut properties = Vec::new();
            let mut items = None;
            if let Some(map) = shallow.as_object_mut() {
                if let Some(Value::Object(props)) = map.get_mut("properties") {
                    for (name, sub) in props.iter_mut().filter(|(_, sub)| descends(sub)) {
                        properties.push((name.clone(), child(sub)));
                        *sub = Value::Bool(true);
                    }
                }
                if let Some(sub) = map.get_mut("items").filter(|sub| descends(sub)) {
                    items = Some(Box::new(child(sub)));
                    *sub = Value::Bool(true);
                }
            }
            Split {
                shallow: (!properties.is_empty() || items.is_some()).then(|| build(&shallow)),
                properties,
                items,
            }
        })
    }
}

fn build(schema: &Value) -> Validator<SpanJson> {
    jsonschema::options_for::<SpanJson>()
        .with_draft(jsonschema::Draft::Draft7)
        // The schema's patterns need no look-around: the plain regex engine
        // compiles faster and matches in linear time.
        .with_pattern_options(jsonschema::PatternOptions::regex())
        .build(schema)
        .expect("embedded schema compiles (checked by tests)")
}

/// A list's `allOf` of definitions that only bound its length
/// (`ruleListBounds`) becomes `minItems`/`maxItems` beside its `items`, as
/// one check: jsonschema then counts the items before it walks them, so a
/// list over its quota fails the short-circuiting check at once. Through the
/// `allOf`, `is_valid` walked every item first, 9 % of a 10 MB file's run
/// before the walk that collects the errors (callgrind). The same errors
/// either way (the test below compares them on every fixture).
fn hoist_bounds(v: &mut Value, defs: &Value) {
    const BOUNDS: [&str; 2] = ["minItems", "maxItems"];
    match v {
        Value::Object(map) => {
            let hoisted = map.get("allOf").and_then(Value::as_array).and_then(|all| {
                let mut bounds = serde_json::Map::new();
                for part in all {
                    let name = part.get("$ref")?.as_str()?.strip_prefix("#/$defs/")?;
                    let def = defs.get(name)?.as_object()?;
                    for (k, b) in def {
                        if BOUNDS.contains(&k.as_str()) {
                            bounds.insert(k.clone(), b.clone()).is_none().then_some(())?;
                        } else if !matches!(k.as_str(), "title" | "description") && !k.starts_with("x-") {
                            return None;
                        }
                    }
                }
                Some(bounds)
            });
            match hoisted {
                Some(bounds) if bounds.keys().all(|k| !map.contains_key(k)) => {
                    map.remove("allOf");
                    map.extend(bounds);
                }
                _ => {}
            }
            map.values_mut().for_each(|c| hoist_bounds(c, defs));
        }
        Value::Array(items) => items.iter_mut().for_each(|i| hoist_bounds(i, defs)),
        _ => {}
    }
}

/// What the validator needs of a schema file for one definition: the
/// `$defs` reachable from it, without annotations (titles, descriptions,
/// `x-ecrlint-*`; messages read those from the full file). Compiled as
/// draft 7, whose meta-schema jsonschema checks several times faster than
/// 2020-12's vocabularies: 0.4 ms of a 3 ms start-up. The keywords used
/// mean the same in both drafts once annotations are gone (no `$ref` keeps
/// a sibling); a test checks both forms agree on every fixture.
fn compile_form(schema: &Value, def: &str) -> Value {
    // The keys of a `properties` map are names a document uses (a creation
    // template has a `description`), never annotations: they are kept.
    fn strip(v: &Value, names: bool) -> Value {
        match v {
            Value::Object(map) => Value::Object(
                map.iter()
                    .filter(|(k, _)| {
                        names || (!matches!(k.as_str(), "title" | "description" | "readOnly") && !k.starts_with("x-"))
                    })
                    .map(|(k, v)| (k.clone(), strip(v, !names && k == "properties")))
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(|i| strip(i, false)).collect()),
            other => other.clone(),
        }
    }
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    match (k.as_str(), child) {
                        ("$ref", Value::String(r)) => out.extend(r.strip_prefix("#/$defs/").map(str::to_string)),
                        _ => refs(child, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|i| refs(i, out)),
            _ => {}
        }
    }
    let defs = &schema["$defs"];
    let mut keep = serde_json::Map::new();
    let mut todo = vec![def.to_string()];
    while let Some(name) = todo.pop() {
        if keep.contains_key(&name) {
            continue;
        }
        let Some(d) = defs.get(&name) else { continue };
        refs(d, &mut todo);
        let mut d = strip(d, false);
        hoist_bounds(&mut d, defs);
        keep.insert(name, d);
    }
    inline_refs(def, keep)
}

/// The schema with every `$ref` to a definition that cannot reach itself
/// replaced by the definition: jsonschema then follows no reference where a
/// value is checked. Each `$ref` it follows builds the schema path the
/// errors under it carry (`RefTracker::compute_prefix`, 120 M instructions
/// of the 10 MB file's error walk), which no finding reads. Definitions in
/// a cycle stay in `$defs`, referenced. (A `$ref` has no siblings here, so
/// the definition stands in for the whole object, as draft 7 reads it.)
fn inline_refs(def: &str, mut defs: serde_json::Map<String, Value>) -> Value {
    fn target(v: &Value) -> Option<&str> {
        let map = v.as_object().filter(|m| m.len() == 1)?;
        map.get("$ref")?.as_str()?.strip_prefix("#/$defs/")
    }
    fn targets<'v>(v: &'v Value, out: &mut Vec<&'v str>) {
        if let Some(t) = target(v) {
            out.push(t);
            return;
        }
        match v {
            Value::Object(map) => map.values().for_each(|c| targets(c, out)),
            Value::Array(items) => items.iter().for_each(|i| targets(i, out)),
            _ => {}
        }
    }
    fn reaches_itself(name: &str, defs: &serde_json::Map<String, Value>) -> bool {
        let mut seen = std::collections::HashSet::new();
        let mut todo = Vec::new();
        targets(&defs[name], &mut todo);
        while let Some(t) = todo.pop() {
            if t == name {
                return true;
            }
            if seen.insert(t) {
                if let Some(d) = defs.get(t) {
                    targets(d, &mut todo);
                }
            }
        }
        false
    }
    fn inline(v: &mut Value, flat: &serde_json::Map<String, Value>) {
        if let Some(d) = target(v).and_then(|t| flat.get(t)) {
            *v = d.clone();
            inline(v, flat);
            return;
        }
        match v {
            Value::Object(map) => map.values_mut().for_each(|c| inline(c, flat)),
            Value::Array(items) => items.iter_mut().for_each(|i| inline(i, flat)),
            _ => {}
        }
    }
    let cyclic: Vec<String> = defs.keys().filter(|k| reaches_itself(k, &defs)).cloned().collect();
    let mut recursive = serde_json::Map::new();
    for name in cyclic {
        recursive.extend(defs.remove_entry(&name));
    }
    let flat = defs;
    for d in recursive.values_mut() {
        inline(d, &flat);
    }
    let mut root = serde_json::json!({ "$ref": format!("#/$defs/{def}") });
    inline(&mut root, &flat);
    if !recursive.is_empty() {
        root.as_object_mut()
            .expect("a definition is an object")
            .insert("$defs".into(), Value::Object(recursive));
    }
    root
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::document::shapes::terraform::SCHEMA as TF;
    use crate::document::shapes::{API_SCHEMA as API, CLOUDFORMATION_SCHEMA as CFN};

    const DEFS: &[(&SchemaFile, &str)] = &[
        (&API, "replicationConfiguration"),
        (&API, "putReplicationConfigurationRequest"),
        (&API, "describeRegistryResponse"),
        (&CFN, "properties"),
        (&CFN, "resource"),
        (&CFN, "replicationConfiguration"),
        (&CFN, "replicationRule"),
        (&CFN, "replicationDestination"),
        (&CFN, "repositoryFilter"),
        (&TF, "resource"),
        (&TF, "replicationRule"),
        (&TF, "replicationDestination"),
        (&TF, "moduleReplicationRules"),
        (&TF, "planValues"),
    ];

    fn no_ref_siblings(v: &Value) -> bool {
        match v {
            Value::Object(map) => {
                (!map.contains_key("$ref") || map.keys().all(|k| k == "$ref" || k == "$defs"))
                    && map.values().all(no_ref_siblings)
            }
            Value::Array(items) => items.iter().all(no_ref_siblings),
            _ => true,
        }
    }

    /// Every fixture and example file, with its text.
    fn sources() -> Vec<(std::path::PathBuf, String)> {
        let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
        let mut files: Vec<_> = std::fs::read_dir(root.join("tests/fixtures"))
            .unwrap()
            .flat_map(|d| std::fs::read_dir(d.unwrap().path()).unwrap().map(|e| e.unwrap().path()))
            .chain(
                std::fs::read_dir(root.join("examples"))
                    .unwrap()
                    .map(|e| e.unwrap().path()),
            )
            .collect();
        files.sort();
        files
            .into_iter()
            .filter_map(|p| Some((p.clone(), String::from_utf8(std::fs::read(&p).ok()?).ok()?)))
            .collect()
    }

    /// A file's tree, when it is one of the formats the schema checks.
    fn parse<'s>(path: &std::path::Path, text: &'s str) -> Option<crate::syntax::Node<'s>> {
        match path.extension()?.to_str()? {
            "json" => crate::syntax::json::parse(text.as_bytes()).ok(),
            "yaml" | "yml" => crate::syntax::yaml::parse(text.as_bytes()).ok(),
            "tf" => crate::syntax::hcl::parse(text.as_bytes()).ok(),
            _ => None,
        }
    }

    /// Every fixture and example, as JSON values (YAML through our parser).
    fn instances() -> Vec<(String, Value)> {
        sources()
            .into_iter()
            .filter_map(|(p, text)| Some((p.display().to_string(), parse(&p, &text)?.to_value())))
            .collect()
    }

    /// The errors collected under failing values only are the whole
    /// validator's, on every fixture and every object inside one.
    #[test]
    fn the_split_walk_finds_the_whole_walks_errors() {
        use super::super::instance::Instance;
        let files = sources();
        let mut compared = 0;
        for &(file, def) in DEFS {
            let layer = validator(file, def);
            for (path, text) in &files {
                let Some(root) = parse(path, text) else { continue };
                let mut stack = vec![&root];
                while let Some(node) = stack.pop() {
                    let mut whole: Vec<String> = layer
                        .whole()
                        .iter_errors(Instance::Tree(node, text))
                        .map(|e| format!("{} {:?}", e.instance_path(), e.kind()))
                        .collect();
                    let mut split = Vec::new();
                    if !layer.whole().is_valid(Instance::Tree(node, text)) {
                        super::super::errors_under(layer, node, text, 0, &mut String::new(), &mut split);
                    }
                    let mut split: Vec<String> = split.iter().map(|(p, e)| format!("{p} {:?}", e.kind())).collect();
                    whole.sort();
                    split.sort();
                    assert_eq!(split, whole, "{def} on {}", path.display());
                    compared += whole.len();
                    match &node.kind {
                        crate::syntax::NodeKind::Object(ms) => {
                            stack.extend(ms.iter().map(|m| &m.value).filter(|v| v.as_object().is_some()))
                        }
                        crate::syntax::NodeKind::Array(items) => {
                            stack.extend(items.iter().filter(|v| v.as_object().is_some()))
                        }
                        _ => {}
                    }
                }
            }
        }
        assert!(compared > 1000, "{compared} errors compared");
    }

    #[test]
    fn the_compiled_form_agrees_with_the_schema_file() {
        let cases = instances();
        assert!(cases.len() > 100);
        for &(file, def) in DEFS {
            let compiled = compile_form(schema_value(file), def);
            assert!(no_ref_siblings(&compiled), "{def}: a $ref keeps a sibling");
            let draft7 = jsonschema::options()
                .with_draft(jsonschema::Draft::Draft7)
                .build(&compiled)
                .unwrap();
            let mut full = schema_value(file).clone();
            full["$ref"] = Value::String(format!("#/$defs/{def}"));
            let full = jsonschema::options()
                .with_draft(jsonschema::Draft::Draft202012)
                .build(&full)
                .unwrap();
            for (name, value) in &cases {
                // The documents and every object inside them, so each shape meets each definition.
                let mut stack = vec![value];
                while let Some(v) = stack.pop() {
                    let errors = |validator: &jsonschema::Validator| {
                        let mut e: Vec<String> = validator
                            .iter_errors(v)
                            .map(|e| format!("{} {:?}", e.instance_path(), e.kind()))
                            .collect();
                        e.sort();
                        e
                    };
                    assert_eq!(errors(&draft7), errors(&full), "{def} on {name}");
                    match v {
                        Value::Object(m) => stack.extend(m.values().filter(|c| c.is_object())),
                        Value::Array(items) => stack.extend(items.iter().filter(|c| c.is_object())),
                        _ => {}
                    }
                }
            }
        }
    }
}
