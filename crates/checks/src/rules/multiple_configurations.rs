//! ECR314 multiple-configurations: a second replication configuration for one registry
//! (a second `AWS::ECR::ReplicationConfiguration` in a template, a second
//! `aws_ecr_replication_configuration` for the same provider Region in Terraform,
//! in one file or in two files of one module folder).

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::rules::findings::Findings;

rule_meta!(
    "ECR314",
    "multiple-configurations",
    super::Level::ERROR,
    "A file declares more than one replication configuration for one registry.",
    resources: [replication],
    scope: File,
    fix: None,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    across_files(ctx, out);
    without_base(ctx, out);
    instances(ctx, out);
    let dialect = ctx.doc.shape.dialect;
    // The first resource of each scope (one registry), in one pass.
    let mut firsts: std::collections::HashMap<Option<&str>, &crate::document::Resource> =
        std::collections::HashMap::new();
    for second in &ctx.doc.resources {
        let first = *firsts.entry(second.scope.as_deref()).or_insert(second);
        if std::ptr::eq(first, second) {
            continue;
        }
        if second.logical_id == first.logical_id {
            // One address declared twice. In a template that is a duplicate
            // key, which ECR002 reports; Terraform refuses the second block.
            if dialect.resource_blocks {
                out.push(duplicate_address(first, second));
            }
            continue;
        }
        let (message, help) = if dialect.replaces_second_configuration {
            (
                format!(
                    "`{}` is a second replication configuration for the same registry as `{}`: a registry has one per Region, so each apply replaces the other's rules",
                    second.logical_id, first.logical_id
                ),
                if dialect.resource_blocks {
                    format!(
                        "move its rules into `{}` and remove this one, or give it a provider for another Region (`provider = aws.<alias>`)",
                        first.logical_id
                    )
                } else {
                    format!(
                        "move its rules into `{}` and remove this one, or deploy it with a provider for another Region",
                        first.logical_id
                    )
                },
            )
        } else {
            (
                format!(
                    "`{}` is a second replication configuration: a registry has one per Region, so creating it fails",
                    second.logical_id
                ),
                format!("move its rules into `{}` and remove this resource", first.logical_id),
            )
        };
        out.push(
            META.diagnostic(second.key_span, message)
                .with_primary_label(format!("second {}", dialect.resource_type))
                .with_label(first.key_span, "first declared here")
                .with_help(help),
        );
    }
}

/// An override file's replication resource that no other file of the
/// folder declares: Terraform refuses the configuration, so no resource is
/// applied (it was read as a resource of its own, silently).
fn without_base(ctx: &Context, out: &mut Findings) {
    for (address, key_span) in &ctx.doc.overrides_without_base {
        out.push(
            META.diagnostic(
                *key_span,
                format!(
                    "this override file overrides `{address}`, which no other file of the folder declares: Terraform refuses the configuration (\"Missing base resource for override\")"
                ),
            )
            .with_primary_label("no original resource of this name")
            .with_help("declare the resource in a file that is not an override file (`main.tf`), or rename this file so that it is not one (`override.tf`, `*_override.tf`)"),
        );
    }
}

/// A resource of this file and one of another file of its Terraform module
/// folder for one registry: reported at the second, or at the first when
/// the second's file is not linted in the run (the hook on one file).
fn across_files(ctx: &Context, out: &mut Findings) {
    for repeated in &ctx.doc.repeated_in_module {
        let other = crate::diagnostic::Label {
            span: repeated.other_span,
            message: if repeated.second_here {
                "first declared here".to_string()
            } else {
                "second declared here".to_string()
            },
            file: Some(repeated.other_file.clone()),
        };
        let (first, second) = if repeated.second_here {
            (&repeated.other_address, &repeated.address)
        } else {
            (&repeated.address, &repeated.other_address)
        };
        let message = if repeated.second_here {
            format!(
                "`{second}` is a second replication configuration for the same registry as `{first}` in {}: Terraform reads the folder's files as one module, and a registry has one configuration per Region, so each apply replaces the other's rules",
                repeated.other_file.path
            )
        } else {
            format!(
                "`{first}` and `{second}` in {} are two replication configurations for the same registry: Terraform reads the folder's files as one module, and a registry has one configuration per Region, so each apply replaces the other's rules",
                repeated.other_file.path
            )
        };
        let mut d = META
            .diagnostic(repeated.key_span, message)
            .with_primary_label(if repeated.second_here {
                "second configuration for this registry"
            } else {
                "first configuration for this registry"
            })
            .with_help(format!(
                "move the rules of `{second}` into `{first}` and remove it, or give it a provider for another Region (`provider = aws.<alias>`)"
            ));
        d.labels.push(other);
        out.push(d);
    }
}

/// A resource whose `count` or `for_each` makes instances of one registry's
/// configuration: each instance is a configuration, and each replaces the
/// other's rules.
fn instances(ctx: &Context, out: &mut Findings) {
    for repeated in &ctx.doc.repeated_instances {
        let crate::document::RepeatedInstances {
            address,
            meta,
            meta_span,
            count,
            first,
            second,
            own_region,
        } = repeated;
        let registry = if *own_region {
            "the registry of the same `region`"
        } else {
            "the registry of the provider's Region"
        };
        out.push(
            META.diagnostic(
                *meta_span,
                format!(
                    "`{meta}` makes {count} replication configurations of `{address}` for one registry: `{first}` and `{second}` both configure {registry}, and a registry has one configuration per Region, so each instance's apply replaces the other's rules"
                ),
            )
            .with_primary_label(format!("{count} instances, one registry"))
            .with_help(format!(
                "remove `{meta}` and put every instance's rules in one resource (a `dynamic \"rule\"` or `dynamic \"destination\"` block over the same collection makes one per element), or give each instance its own Region with the resource's `region` argument (provider 6.0+)"
            )),
        );
    }
}

/// A Terraform resource address declared by two blocks: the HCL tree keeps
/// one label for both, so the second is shown at its body's opening brace.
fn duplicate_address(first: &crate::document::Resource, second: &crate::document::Resource) -> Diagnostic {
    let brace = crate::syntax::Span::new(second.node.span.start, second.node.span.start + 1);
    META.diagnostic(
        brace,
        format!(
            "`{}` is declared twice: Terraform refuses a configuration that declares one resource address twice (\"Duplicate resource\")",
            second.logical_id
        ),
    )
    .with_primary_label("second block with this address")
    .with_label(first.key_span, "first declared here")
    .with_help("merge the two blocks' rules into one resource, or rename one of them")
}
