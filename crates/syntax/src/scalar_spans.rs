//! Where a tree's keys and scalar values lie, sorted, for the questions a
//! text scan asks of a parsed file: is this byte inside a string (a `#`
//! there is text, not a comment), does this line continue one begun above?

use super::{Node, NodeKind, Span};

/// The spans of a tree's keys and of the scalar values kept.
pub struct ScalarSpans {
    /// Sorted by start.
    spans: Vec<Span>,
    /// The largest end among `spans[..=i]`: spans may nest or overlap.
    reach: Vec<usize>,
}

impl ScalarSpans {
    /// Every key of `root`, and every value that is neither an array nor an
    /// object and that `keep` takes.
    pub fn of(root: &Node, keep: impl Fn(&Node) -> bool) -> ScalarSpans {
        let mut spans = Vec::new();
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            match &node.kind {
                NodeKind::Array(items) => stack.extend(items.iter()),
                NodeKind::Object(members) => {
                    for m in members {
                        spans.push(m.key_span);
                        stack.push(&m.value);
                    }
                }
                _ if keep(node) => spans.push(node.span),
                _ => {}
            }
        }
        spans.retain(|s| !s.is_empty());
        spans.sort_unstable();
        spans.dedup();
        let reach = spans
            .iter()
            .scan(0, |max, s| {
                *max = (*max).max(s.end);
                Some(*max)
            })
            .collect();
        ScalarSpans { spans, reach }
    }

    /// Whether `at` lies inside one of the spans (its first byte included).
    pub fn holds(&self, at: usize) -> bool {
        let i = self.spans.partition_point(|s| s.start <= at);
        i > 0 && self.reach[i - 1] > at
    }

    /// Whether one of the spans starts before `at` and holds it: `at`
    /// continues a string begun earlier.
    pub fn continue_past(&self, at: usize) -> bool {
        let i = self.spans.partition_point(|s| s.start < at);
        i > 0 && self.reach[i - 1] > at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_is_held_by_any_span_that_covers_it_nested_or_not() {
        let root = crate::yaml::parse(b"a: \"x # y\"\nb:\n  - |\n    z # w\n    v\n").unwrap();
        let spans = ScalarSpans::of(&root, |_| true);
        let text = "a: \"x # y\"\nb:\n  - |\n    z # w\n    v\n";
        let first_hash = text.find('#').unwrap();
        let second_hash = text.rfind('#').unwrap();
        assert!(spans.holds(first_hash) && spans.holds(second_hash));
        // The key `a` starts at 0: held, but nothing begun before it continues there.
        assert!(spans.holds(0) && !spans.continue_past(0));
        // The block scalar's second line continues a string begun on the line above.
        assert!(spans.continue_past(text.find("v\n").unwrap()));
        // The space after `a:` is in no scalar.
        assert!(!spans.holds(2));
    }
}
