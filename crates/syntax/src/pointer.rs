//! RFC 6901 JSON pointers, built as the document model walks the tree.

use std::fmt;

/// A JSON pointer such as `/rules/0/destinations/1/region`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pointer(String);

impl Pointer {
    pub fn root() -> Self {
        Pointer(String::new())
    }

    pub fn key(&self, key: &str) -> Self {
        let mut s = String::with_capacity(self.0.len() + key.len() + 1);
        s.push_str(&self.0);
        s.push('/');
        s.push_str(&escape_token(key));
        Pointer(s)
    }

    pub fn index(&self, index: usize) -> Self {
        use std::fmt::Write;
        let mut s = String::with_capacity(self.0.len() + 4);
        s.push_str(&self.0);
        let _ = write!(s, "/{index}");
        Pointer(s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub fn escape_token(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1").into()
    } else {
        token.into()
    }
}

pub fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}
