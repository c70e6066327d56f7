//! Which fixes a run applies, and what it reports of those it dropped: the
//! fix loop itself, which lints each step again, is the engine's
//! (`fix_loop`).

use super::Applicability;

/// Which fixes to apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Safe fixes only (`--fix`).
    Safe,
    /// Safe and unsafe fixes (`--fix --unsafe-fixes`).
    Unsafe,
}

impl Mode {
    pub fn allows(self, applicability: Applicability) -> bool {
        self == Mode::Unsafe || applicability == Applicability::Safe
    }
}

/// A fix that was dropped, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dropped {
    pub code: &'static str,
    pub title: String,
    pub reason: &'static str,
}
