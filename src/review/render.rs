//! Route and diff reports as a table for people, JSON, or Markdown (for
//! pull request comments and job summaries).

use super::diff::DiffReport;
use super::route::{RegistryShown, RouteReport};

fn registry(r: &RegistryShown) -> String {
    format!("{} in {}", r.account, r.region)
}

/// The rows of the route table: a header, then a row per destination (or
/// per source that replicates nothing of the repository).
fn route_rows(report: &RouteReport) -> Vec<Vec<String>> {
    let mut rows = vec![[
        "REPOSITORY",
        "SOURCE",
        "DESTINATION",
        "RULE",
        "FILTER",
        "SOURCE DELETES",
        "GRANT",
        "ARRIVES",
    ]
    .map(str::to_string)
    .to_vec()];
    for repository in &report.repositories {
        if repository.sources.is_empty() {
            rows.push(vec![
                repository.name.clone(),
                "no replication configuration in the files read".into(),
            ]);
        }
        for source in &repository.sources {
            let from = format!("{} ({})", registry(&source.source), source.file);
            if source.destinations.is_empty() {
                let why = match &source.nearest {
                    Some(n) => format!(
                        "not replicated: no filter matches (nearest: \"{}\" of rule {}, {})",
                        n.filter, n.rule, n.at
                    ),
                    None => "not replicated: no rule takes it".into(),
                };
                rows.push(vec![repository.name.clone(), from.clone(), why]);
            }
            for d in &source.destinations {
                let filter = match &d.filter {
                    Some(f) if d.matched == "maybe" => format!("\"{f}\" (may match) {}", d.at),
                    Some(f) => format!("\"{f}\" {}", d.at),
                    None => format!("every repository {}", d.at),
                };
                let filter = if d.matched == "if-condition" {
                    format!("{filter} (if its Fn::If condition holds)")
                } else {
                    filter
                };
                rows.push(vec![
                    repository.name.clone(),
                    from.clone(),
                    registry(&d.destination),
                    d.rule.to_string(),
                    filter,
                    d.deletions.into(),
                    d.grant.into(),
                    d.arrives.clone(),
                ]);
            }
        }
    }
    rows
}

/// Columns padded to the widest cell; a short row's last cell runs on.
fn table(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter(|r| r.len() > c + 1)
                .map(|r| r[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            if c + 1 == row.len() {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<width$}  ", width = widths[c]));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn markdown_cell(cell: &str) -> String {
    cell.replace('|', "\\|")
}

fn markdown_table(rows: &[Vec<String>]) -> String {
    let columns = rows.first().map_or(0, Vec::len);
    let mut out = String::new();
    for (i, row) in rows.iter().enumerate() {
        let mut cells: Vec<String> = row.iter().map(|c| markdown_cell(c)).collect();
        cells.resize(columns, String::new());
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
        if i == 0 {
            out.push_str(&format!("|{}\n", " --- |".repeat(columns)));
        }
    }
    out
}

pub fn route_human(report: &RouteReport) -> String {
    table(&route_rows(report))
}

pub fn route_markdown(report: &RouteReport) -> String {
    format!(
        "### Where the repositories replicate\n\n{}",
        markdown_table(&route_rows(report))
    )
}

pub fn route_json(report: &RouteReport) -> String {
    serde_json::to_string_pretty(report).unwrap_or_default() + "\n"
}

pub fn diff_json(report: &DiffReport) -> String {
    serde_json::to_string_pretty(report).unwrap_or_default() + "\n"
}

const UNCHANGED: &str = "no change in what is deployed";

fn between(change: &super::diff::Change) -> String {
    match &change.destination {
        Some(d) => format!("{} → {}", registry(&change.registry), registry(d)),
        None => registry(&change.registry),
    }
}

/// What the comparison took for granted, a line each.
fn assumed(report: &DiffReport, prefix: &str) -> String {
    report.assumed.iter().map(|a| format!("{prefix}{a}\n")).collect()
}

pub fn diff_human(report: &DiffReport) -> String {
    if report.unchanged {
        return format!("{UNCHANGED}\n{}", assumed(report, "note: "));
    }
    let mut out = String::new();
    for c in &report.changes {
        out.push_str(&format!("{}: {} ({})\n", c.kind.name(), between(c), c.at));
        out.push_str(&format!("  {}\n", c.message));
        if !c.repositories.is_empty() {
            out.push_str(&format!("  repositories: {}\n", c.repositories.join(", ")));
        }
        if let Some(command) = &c.command {
            out.push_str(&format!("  run: {command}\n"));
        }
    }
    out.push_str(&format!("{} change(s) in what is deployed\n", report.changes.len()));
    out + &assumed(report, "note: ")
}

pub fn diff_markdown(report: &DiffReport) -> String {
    let mut out = String::from("### What this change deploys\n\n");
    if report.unchanged {
        out.push_str(&format!("{}.\n", capitalised(UNCHANGED)));
    }
    for c in &report.changes {
        out.push_str(&format!(
            "- **{}** {} (`{}`): {}\n",
            c.kind.name(),
            between(c),
            c.at,
            c.message
        ));
        if !c.repositories.is_empty() {
            let names: Vec<String> = c.repositories.iter().map(|r| format!("`{r}`")).collect();
            out.push_str(&format!("  - repositories: {}\n", names.join(", ")));
        }
        if let Some(command) = &c.command {
            out.push_str(&format!("\n  ```sh\n  {command}\n  ```\n"));
        }
    }
    if !report.assumed.is_empty() {
        out.push_str(&format!("\n{}", assumed(report, "> Note: ")));
    }
    out
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

/// Markdown with the topology drawn below it, as a Mermaid diagram.
pub fn with_picture(markdown: String, topology: &super::topology::Topology) -> String {
    if topology.edges.is_empty() {
        return markdown;
    }
    format!("{markdown}\n```mermaid\n{}```\n", super::topology::mermaid(topology))
}
