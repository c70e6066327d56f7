//! `cargo bench`: speed and memory of ecrlint, method and results in
//! BENCHMARKS.md. Prints a Markdown table; targets are reported, not asserted.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_ecrlint");

/// A configuration of about `target` bytes: many rules, each with its own
/// destinations and filters, so the file is large but realistic in shape.
#[path = "../tests/common/duplicates.rs"]
mod duplicates;
use duplicates::{duplicate_and_nested_filters, identical_destinations};

fn big_config(target: usize) -> String {
    let mut s = String::from("{\n  \"rules\": [\n");
    let mut rule = 0;
    while s.len() < target {
        if rule > 0 {
            s.push_str(",\n");
        }
        s.push_str("    {\n      \"destinations\": [\n");
        for d in 0..8 {
            let sep = if d < 7 { "," } else { "" };
            s.push_str(&format!(
                "        {{\"region\": \"{}\", \"registryId\": \"2{rule:06}{d:05}\"}}{sep}\n",
                ["us-west-2", "eu-west-1", "ap-northeast-1", "us-east-2"][d % 4]
            ));
        }
        s.push_str("      ],\n      \"repositoryFilters\": [\n");
        for f in 0..20 {
            let sep = if f < 19 { "," } else { "" };
            s.push_str(&format!(
                "        {{\"filter\": \"team{rule}/svc-{f}/\", \"filterType\": \"PREFIX_MATCH\"}}{sep}\n"
            ));
        }
        s.push_str("      ]\n    }");
        rule += 1;
    }
    s.push_str("\n  ]\n}\n");
    s
}

/// A CloudFormation template in YAML of about `target` bytes, shaped like `big_config`.
fn big_template_yaml(target: usize) -> String {
    let mut s = String::from("Resources:\n  Replication:\n    Type: AWS::ECR::ReplicationConfiguration\n    Properties:\n      ReplicationConfiguration:\n        Rules:\n");
    let mut rule = 0;
    while s.len() < target {
        s.push_str("          - Destinations:\n");
        for d in 0..8 {
            s.push_str(&format!(
                "              - Region: {}\n                RegistryId: \"2{rule:06}{d:05}\"\n",
                ["us-west-2", "eu-west-1", "ap-northeast-1", "us-east-2"][d % 4]
            ));
        }
        s.push_str("            RepositoryFilters:\n");
        for f in 0..20 {
            s.push_str(&format!(
                "              - Filter: team{rule}/svc-{f}/\n                FilterType: PREFIX_MATCH\n"
            ));
        }
        rule += 1;
    }
    s
}

/// The same configuration as a Terraform resource in HCL of about `target`
/// bytes: `rule` blocks of 8 `destination` and 20 `repository_filter` blocks.
fn big_terraform(target: usize) -> String {
    let mut s =
        String::from("resource \"aws_ecr_replication_configuration\" \"big\" {\n  replication_configuration {\n");
    let mut rule = 0;
    while s.len() < target {
        s.push_str("    rule {\n");
        for d in 0..8 {
            s.push_str(&format!(
                "      destination {{\n        region      = \"{}\"\n        registry_id = \"2{rule:06}{d:05}\"\n      }}\n",
                ["us-west-2", "eu-west-1", "ap-northeast-1", "us-east-2"][d % 4]
            ));
        }
        for f in 0..20 {
            s.push_str(&format!(
                "      repository_filter {{\n        filter      = \"team{rule}/svc-{f}/\"\n        filter_type = \"PREFIX_MATCH\"\n      }}\n"
            ));
        }
        s.push_str("    }\n");
        rule += 1;
    }
    s.push_str("  }\n}\n");
    s
}

/// `rules` rules that all send to one placeholder account, each with its own filter.
fn many_findings(rules: usize) -> String {
    let rules: Vec<String> = (0..rules)
        .map(|i| {
            format!(
                "    {{\"destinations\": [{{\"region\": \"us-west-2\", \"registryId\": \"111122223333\"}}], \"repositoryFilters\": [{{\"filter\": \"team{i}/\", \"filterType\": \"PREFIX_MATCH\"}}]}}"
            )
        })
        .collect();
    format!("{{\n  \"rules\": [\n{}\n  ]\n}}\n", rules.join(",\n"))
}

/// Lint, and fix (safe and unsafe fixes), of many duplicates in one file:
/// every rule and fix builder must stay linear or n log n in them.
fn duplicate_rows(settings: &ecrlint::settings::Settings) {
    use ecrlint::fix::apply::Mode;
    use ecrlint::fix_loop::{fix_text, Linter};
    let json = ecrlint::syntax::ReadAs::Format(ecrlint::syntax::SourceFormat::Json);
    let cases = [
        ("200,000 identical destinations", identical_destinations(200_000)),
        (
            "100,000 duplicate and nested filters",
            duplicate_and_nested_filters(100_000),
        ),
    ];
    for (what, text) in cases {
        let t = measure(3, || {
            std::hint::black_box(ecrlint::lint::lint(
                text.as_bytes(),
                json,
                ecrlint::lint::Origin::Named,
                settings,
            ));
        });
        println!(
            "| whole lint, {what} | {} | {} | target < 1 s |",
            ms(t.min),
            ms(t.median)
        );
        let linter = Linter {
            read_as: json,
            origin: ecrlint::lint::Origin::Named,
            settings,
        };
        let t = measure(3, || {
            std::hint::black_box(fix_text(&text, linter, Mode::Unsafe));
        });
        println!(
            "| `--fix --unsafe-fixes` in-process, {what} | {} | {} | target < 1 s |",
            ms(t.min),
            ms(t.median)
        );
    }
}

const SMALL: &str = r#"{
  "rules": [
    {
      "destinations": [
        { "region": "us-west-2", "registryId": "210987654321" },
        { "region": "eu-west-1", "registryId": "210987654321" }
      ],
      "repositoryFilters": [{ "filter": "prod/", "filterType": "PREFIX_MATCH" }]
    }
  ]
}
"#;

struct Stats {
    min: Duration,
    median: Duration,
}

fn measure(runs: usize, mut f: impl FnMut()) -> Stats {
    f(); // warm-up
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    Stats {
        min: times[0],
        median: times[runs / 2],
    }
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn run(cmd: &mut Command) {
    let status = cmd.stdout(Stdio::null()).stderr(Stdio::null()).status().expect("runs");
    assert!(status.code().is_some_and(|c| c <= 1), "{cmd:?} failed: {status}");
}

/// Peak resident memory of this command's process alone, in bytes (its
/// own `wait4`: the children's maximum would be the largest run so far).
// `wait4` below reaps the child, which `Child::wait` would then not find.
#[allow(clippy::zombie_processes)]
fn peak_rss_of(cmd: &mut Command) -> u64 {
    let child = cmd.stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("runs");
    let mut status = 0;
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: waits for our own child, filling the status and the struct given.
    let usage = unsafe {
        libc::wait4(child.id() as libc::pid_t, &mut status, 0, usage.as_mut_ptr());
        usage.assume_init()
    };
    usage.ru_maxrss as u64 * 1024
}

/// Peak memory of `check` on an 11 MB file with 400,000 findings (200,000
/// identical destinations, each a duplicate and an example account), against
/// the input's size, with the cap on findings kept (the default) and without.
fn many_findings_memory_rows(dir: &Path) {
    let text = identical_destinations(200_000).replace("210987654321", "111122223333");
    let path = dir.join("many-findings.json");
    std::fs::write(&path, &text).unwrap();
    for (what, args) in [
        ("default `--max-findings`", &[][..]),
        ("`--max-findings 0`", &["--max-findings", "0"][..]),
    ] {
        for format in ["json", "concise"] {
            let peak = peak_rss_of(
                Command::new(BIN)
                    .args(["check", "--format", format])
                    .args(args)
                    .arg(&path),
            );
            println!(
                "| peak memory, `check --format {format}`, {what}, {:.1} MB file with 400,000 findings | {:.1} MB | | {:.1}× the input (target < 10×) |",
                text.len() as f64 / 1e6,
                peak as f64 / 1e6,
                peak as f64 / text.len() as f64
            );
        }
    }
}

/// Peak resident memory of the largest child waited for so far, in bytes.
fn children_max_rss() -> u64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given.
    let usage = unsafe {
        libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr());
        usage.assume_init()
    };
    usage.ru_maxrss as u64 * 1024
}

/// A workspace of `repositories` repositories (Terraform, 1,000 a file) and
/// one replication configuration of ten rules sending them to 25
/// destinations; `changed` adds a destination and widens a filter.
fn review_workspace(root: &Path, repositories: usize, changed: bool) -> Vec<std::path::PathBuf> {
    const REGIONS: [&str; 13] = [
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "eu-central-1",
        "eu-north-1",
        "ap-south-1",
        "ap-northeast-1",
        "ap-southeast-1",
        "ca-central-1",
    ];
    std::fs::create_dir_all(root).unwrap();
    let mut files = Vec::new();
    for chunk in 0..repositories.div_ceil(1_000) {
        let mut tf = String::new();
        for i in chunk * 1_000..((chunk + 1) * 1_000).min(repositories) {
            tf.push_str(&format!(
                "resource \"aws_ecr_repository\" \"r{i}\" {{\n  name = \"team{}/service-{i}\"\n}}\n",
                i % 40
            ));
        }
        let path = root.join(format!("repositories-{chunk}.tf"));
        std::fs::write(&path, tf).unwrap();
        files.push(path);
    }
    let destinations = if changed { 26 } else { 25 };
    let rules: Vec<String> = (0..10)
        .map(|rule| {
            let to: Vec<String> = (0..destinations)
                .filter(|d| d % 10 == rule)
                .map(|d| {
                    let account = if d < 13 { "210987654321" } else { "109876543210" };
                    format!(r#"{{"region": "{}", "registryId": "{account}"}}"#, REGIONS[d % 13])
                })
                .collect();
            let widened = changed && rule == 0;
            let filters: Vec<String> = (rule * 4..rule * 4 + 4)
                .map(|team| {
                    let prefix = if widened {
                        format!("team{team}")
                    } else {
                        format!("team{team}/")
                    };
                    format!(r#"{{"filter": "{prefix}", "filterType": "PREFIX_MATCH"}}"#)
                })
                .collect();
            format!(
                r#"{{"destinations": [{}], "repositoryFilters": [{}]}}"#,
                to.join(", "),
                filters.join(", ")
            )
        })
        .collect();
    let path = root.join("replication.json");
    std::fs::write(&path, format!(r#"{{"rules": [{}]}}"#, rules.join(", "))).unwrap();
    files.push(path);
    files
}

/// `ecrlint route` and `ecrlint diff` over 10,000 repositories and 25
/// destinations (issue 27's goal: under a second), against `cat` of the files.
fn review_rows() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (old, new) = (dir.path().join("old"), dir.path().join("new"));
    let mut files = review_workspace(&old, 10_000, false);
    files.extend(review_workspace(&new, 10_000, true));
    let cat = measure(5, || run(Command::new("cat").args(&files)));
    let route = measure(5, || run(Command::new(BIN).arg("route").current_dir(&old)));
    let diff = measure(5, || run(Command::new(BIN).arg("diff").arg(&old).arg(&new)));
    println!(
        "| `cat` of both workspaces' files | {} | {} | floor |",
        ms(cat.min),
        ms(cat.median)
    );
    for (what, stats) in [
        ("`ecrlint route` of 10,000 repositories, 25 destinations", route),
        ("`ecrlint diff` of two such workspaces", diff),
    ] {
        println!(
            "| {what} | {} | {} | {:.1}× cat (goal: under 1 s) |",
            ms(stats.min),
            ms(stats.median),
            stats.median.as_secs_f64() / cat.median.as_secs_f64()
        );
    }
}

/// A Terraform repository of 40 module folders, 5 files each (200 files):
/// the replication resource in `main.tf` takes its Regions and accounts from
/// variables (defaults in `variables.tf`, values in `terraform.tfvars`) and
/// locals (`locals.tf`), as teams split a module; `outputs.tf` holds nothing
/// of ours. Returns every file written.
fn terraform_repository(root: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for module in 0..40 {
        let dir = root.join(format!("modules/registry-{module:02}"));
        std::fs::create_dir_all(&dir).unwrap();
        let account = format!("{:012}", 210_987_654_321u64 + module);
        let write = |name: &str, text: String, files: &mut Vec<std::path::PathBuf>| {
            let path = dir.join(name);
            std::fs::write(&path, text).unwrap();
            files.push(path);
        };
        let mut rules = String::new();
        for rule in 0..8 {
            rules.push_str(&format!(
                r#"
    rule {{
      destination {{
        region      = var.dr_region
        registry_id = local.dr_account
      }}
      destination {{
        region      = "{region}"
        registry_id = var.accounts["team-{rule}"]
      }}
      repository_filter {{
        filter      = "team-{rule}/"
        filter_type = "PREFIX_MATCH"
      }}
    }}
"#,
                region = ["us-west-2", "eu-west-1", "ap-southeast-2", "eu-central-1"][rule % 4],
            ));
        }
        write(
            "main.tf",
            format!(
                "provider \"aws\" {{\n  region = var.region\n}}\n\nresource \"aws_ecr_replication_configuration\" \"this\" {{\n  replication_configuration {{{rules}  }}\n}}\n"
            ),
            &mut files,
        );
        let mut accounts = String::new();
        for team in 0..8 {
            accounts.push_str(&format!(
                "    \"team-{team}\" = \"{:012}\"\n",
                310_987_654_321u64 + team
            ));
        }
        write(
            "variables.tf",
            format!(
                "variable \"region\" {{\n  type    = string\n  default = \"us-east-1\"\n}}\n\nvariable \"dr_region\" {{\n  type = string\n}}\n\nvariable \"accounts\" {{\n  type = map(string)\n  default = {{\n{accounts}  }}\n}}\n"
            ),
            &mut files,
        );
        write(
            "locals.tf",
            format!("locals {{\n  dr_account = \"{account}\"\n  tags = {{ team = \"platform\", module = \"{module}\" }}\n}}\n"),
            &mut files,
        );
        write(
            "outputs.tf",
            "output \"registry_id\" {\n  value = aws_ecr_replication_configuration.this.registry_id\n}\n".into(),
            &mut files,
        );
        write("terraform.tfvars", "dr_region = \"us-west-1\"\n".into(), &mut files);
    }
    files
}

/// `cargo bench --bench lint -- terraform`: the 200-file repository linted
/// as a whole, against `cat` of its files and python-hcl2 parsing them
/// (`ECRLINT_BENCH_HCL2_PYTHON`: a Python that has `hcl2`, `pip install python-hcl2`).
fn terraform_rows() {
    let dir = tempfile::tempdir().expect("temp dir");
    let files = terraform_repository(dir.path());
    let bytes: u64 = files.iter().map(|f| std::fs::metadata(f).unwrap().len()).sum();
    let cat = measure(5, || run(Command::new("cat").args(&files)));
    let check = measure(5, || {
        run(Command::new(BIN)
            .args(["check", "--isolated", "."])
            .current_dir(dir.path()))
    });
    println!(
        "| `cat` of the {} files ({} KB) | {} | {} | floor |",
        files.len(),
        bytes / 1024,
        ms(cat.min),
        ms(cat.median)
    );
    println!(
        "| `ecrlint check .` of the repository (40 module folders) | {} | {} | {:.1}× cat |",
        ms(check.min),
        ms(check.median),
        check.median.as_secs_f64() / cat.median.as_secs_f64()
    );
    match std::env::var_os("ECRLINT_BENCH_HCL2_PYTHON") {
        Some(python) => {
            let parse = measure(5, || {
                run(Command::new(&python)
                    .args(["-c", "import hcl2, sys\nfor f in sys.argv[1:]:\n    hcl2.load(open(f))"])
                    .args(&files))
            });
            println!(
                "| python-hcl2 `hcl2.load` of every file (parse only) | {} | {} | {:.1}× cat; ecrlint {:.2}× its time |",
                ms(parse.min),
                ms(parse.median),
                parse.median.as_secs_f64() / cat.median.as_secs_f64(),
                check.median.as_secs_f64() / parse.median.as_secs_f64()
            );
        }
        None => println!("| python-hcl2 | | | not run: set ECRLINT_BENCH_HCL2_PYTHON to a Python with `hcl2` |"),
    }
}

fn main() {
    // `cargo bench --bench lint -- duplicates`: those rows alone.
    if std::env::args().any(|a| a == "duplicates") {
        println!("| measurement | min | median | note |");
        println!("|---|---|---|---|");
        duplicate_rows(&ecrlint::settings::Settings::default());
        return;
    }
    // `cargo bench --bench lint -- terraform`: those rows alone.
    if std::env::args().any(|a| a == "terraform") {
        println!("| measurement | min | median | note |");
        println!("|---|---|---|---|");
        terraform_rows();
        return;
    }
    // `cargo bench --bench lint -- review`: those rows alone.
    if std::env::args().any(|a| a == "review") {
        println!("| measurement | min | median | note |");
        println!("|---|---|---|---|");
        review_rows();
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let big = big_config(10 << 20);
    let big_path = dir.path().join("big.json");
    std::fs::write(&big_path, &big).unwrap();
    let bytes = big.as_bytes();

    println!("| measurement | min | median | note |");
    println!("|---|---|---|---|");

    // Memory first, so the big file's run is the largest child so far.
    run(Command::new(BIN).args(["check", "--format", "json"]).arg(&big_path));
    let peak = children_max_rss();
    println!(
        "| peak memory, `check` of the {:.1} MB file | {:.1} MB | | {:.1}× the input (target < 8×) |",
        bytes.len() as f64 / 1e6,
        peak as f64 / 1e6,
        peak as f64 / bytes.len() as f64
    );

    let serde = measure(10, || {
        std::hint::black_box(serde_json::from_slice::<serde_json::Value>(bytes).unwrap());
    });
    let ours = measure(10, || {
        std::hint::black_box(ecrlint::syntax::json::parse(bytes).unwrap());
    });
    let settings = ecrlint::settings::Settings::default();
    let lint = measure(10, || {
        std::hint::black_box(ecrlint::lint::lint(
            bytes,
            ecrlint::syntax::ReadAs::Format(ecrlint::syntax::SourceFormat::Json),
            ecrlint::lint::Origin::Named,
            &settings,
        ));
    });
    println!(
        "| `serde_json::from_slice::<Value>`, 10 MB | {} | {} | baseline |",
        ms(serde.min),
        ms(serde.median)
    );
    println!(
        "| ecrlint span parser, 10 MB | {} | {} | {:.2}× serde_json (target ≤ 1×) |",
        ms(ours.min),
        ms(ours.median),
        ours.median.as_secs_f64() / serde.median.as_secs_f64()
    );
    println!(
        "| whole lint in-process, 10 MB | {} | {} | {:.2}× serde_json (target ≤ 3×) |",
        ms(lint.min),
        ms(lint.median),
        lint.median.as_secs_f64() / serde.median.as_secs_f64()
    );

    let small_path = dir.path().join("small.json");
    std::fs::write(&small_path, SMALL).unwrap();
    let cat_one = measure(30, || run(Command::new("cat").arg(&small_path)));
    let one = measure(30, || run(Command::new(BIN).arg("check").arg(&small_path)));
    println!(
        "| `cat` one small file (process) | {} | {} | floor |",
        ms(cat_one.min),
        ms(cat_one.median)
    );
    println!(
        "| `ecrlint check` one small file (process) | {} | {} | {:.1}× cat |",
        ms(one.min),
        ms(one.median),
        one.median.as_secs_f64() / cat_one.median.as_secs_f64()
    );

    for count in [100, 1_000, 3_000, 10_000] {
        let many = dir.path().join(format!("many-{count}"));
        write_many(&many, count);
        let files: Vec<_> = (0..count)
            .map(|i| many.join(format!("{:02}/r{i:05}.json", i % 100)))
            .collect();
        let cat = measure(5, || run(Command::new("cat").args(&files)));
        let lint = measure(5, || run(Command::new(BIN).arg("check").arg(&many)));
        println!(
            "| `cat` {count} small files | {} | {} | floor |",
            ms(cat.min),
            ms(cat.median)
        );
        println!(
            "| `ecrlint check` a directory of {count} small files | {} | {} | {:.1}× cat |",
            ms(lint.min),
            ms(lint.median),
            lint.median.as_secs_f64() / cat.median.as_secs_f64()
        );
    }

    // Thousands of findings in one file: 20,000 rules sharing one destination
    // (each rule checked against all earlier ones) with a placeholder account.
    let findings_path = dir.path().join("findings.json");
    std::fs::write(&findings_path, many_findings(20_000)).unwrap();
    for format in ["json", "human"] {
        let t = measure(3, || {
            run(Command::new(BIN)
                .args(["check", "--color", "never", "--format", format])
                .arg(&findings_path))
        });
        println!(
            "| `check --format {format}`, 20,000 rules and 20,001 findings in one file | {} | {} | |",
            ms(t.min),
            ms(t.median)
        );
    }

    duplicate_rows(&settings);
    many_findings_memory_rows(dir.path());

    // The same configuration as a CloudFormation template in YAML.
    let yaml = big_template_yaml(1 << 20);
    let t = measure(5, || {
        std::hint::black_box(ecrlint::lint::lint(
            yaml.as_bytes(),
            ecrlint::syntax::ReadAs::Format(ecrlint::syntax::SourceFormat::Yaml),
            ecrlint::lint::Origin::Named,
            &settings,
        ));
    });
    println!(
        "| whole lint, 1 MB YAML template | {} | {} | |",
        ms(t.min),
        ms(t.median)
    );

    // The same configuration as a Terraform resource in HCL: the front end
    // alone (hcl-edit's parse and the conversion to the span tree), then
    // the whole lint.
    let tf = big_terraform(1 << 20);
    let t = measure(5, || {
        std::hint::black_box(ecrlint::syntax::hcl::parse(tf.as_bytes()).is_ok());
    });
    println!("| HCL front end, 1 MB `.tf` | {} | {} | |", ms(t.min), ms(t.median));
    let t = measure(5, || {
        std::hint::black_box(ecrlint::lint::lint(
            tf.as_bytes(),
            ecrlint::syntax::ReadAs::Format(ecrlint::syntax::SourceFormat::Hcl),
            ecrlint::lint::Origin::Named,
            &settings,
        ));
    });
    println!("| whole lint, 1 MB `.tf` | {} | {} | |", ms(t.min), ms(t.median));

    // Growth with file size: the in-process lint at 1, 2, 4 and 8 MB.
    for mb in [1, 2, 4, 8] {
        let text = big_config(mb << 20);
        let t = measure(5, || {
            std::hint::black_box(ecrlint::lint::lint(
                text.as_bytes(),
                ecrlint::syntax::ReadAs::Format(ecrlint::syntax::SourceFormat::Json),
                ecrlint::lint::Origin::Named,
                &settings,
            ));
        });
        println!(
            "| whole lint, {mb} MB | {} | {} | {:.1} ms/MB |",
            ms(t.min),
            ms(t.median),
            t.median.as_secs_f64() * 1e3 / mb as f64
        );
    }
}

fn write_many(dir: &Path, count: usize) {
    for i in 0..count {
        let sub = dir.join(format!("{:02}", i % 100));
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(sub.join(format!("r{i:05}.json")), SMALL).unwrap();
    }
}
