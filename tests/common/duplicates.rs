//! Inputs with many duplicates, for the test that fixing them stays linear
//! (tests/fixes.rs) and the benchmark rows that time it (benches/lint.rs):
//! one definition, included by both with `#[path]`.

/// One rule with `n` identical destinations.
pub fn identical_destinations(n: usize) -> String {
    let item = "{\"region\": \"us-west-2\", \"registryId\": \"210987654321\"}";
    format!(
        "{{\"rules\": [{{\"destinations\": [{}]}}]}}\n",
        vec![item; n].join(",\n")
    )
}

/// One rule with `n` filters: half of them `prod` again and again, half
/// nested under it (`prod/N`).
pub fn duplicate_and_nested_filters(n: usize) -> String {
    let filters: Vec<String> = (0..n)
        .map(|i| {
            let filter = if i % 2 == 0 {
                "prod".to_string()
            } else {
                format!("prod/{i}")
            };
            format!("{{\"filter\": \"{filter}\", \"filterType\": \"PREFIX_MATCH\"}}")
        })
        .collect();
    format!(
        "{{\"rules\": [{{\"destinations\": [{{\"region\": \"us-west-2\", \"registryId\": \"210987654321\"}}], \"repositoryFilters\": [{}]}}]}}\n",
        filters.join(",\n")
    )
}
