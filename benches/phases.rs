fn main() {
    let text = std::fs::read_to_string("/tmp/prof/big.json").unwrap();
    let bytes = text.as_bytes();
    let t = std::time::Instant::now();
    let root = ecrlint::json::parse(bytes).unwrap();
    eprintln!("parse {:?}", t.elapsed());
    let kind = ecrlint::document::recognise(&root, false).unwrap();
    let t = std::time::Instant::now();
    let doc = ecrlint::document::build(&root, kind);
    eprintln!("build {:?}", t.elapsed());
    let ctx = ecrlint::rules::Context {
        doc: &doc,
        facts: ecrlint::facts::facts(),
        source_region: None,
        source_registry: None,
        extra_regions: &[],
    };
    for r in ecrlint::rules::RULES {
        if let Some(c) = r.check {
            let mut out = Vec::new();
            let t = std::time::Instant::now();
            c(&ctx, &mut out);
            eprintln!("{} {:?} {}", r.meta.code, t.elapsed(), out.len());
        }
    }
    let t = std::time::Instant::now();
    let n = ecrlint::schema::check(&doc, &text).len();
    eprintln!("schema {:?} {n}", t.elapsed());
    let t = std::time::Instant::now();
    drop(doc);
    drop(root);
    eprintln!("drop {:?}", t.elapsed());
}
