//! `file:` URIs ↔ paths on disk (RFC 8089), for finding each document's
//! `.ecrlint.toml` and picking its format by extension.

use lsp_types::Uri;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The path of a `file:` URI; `None` for other schemes (`untitled:`).
pub fn to_path(uri: &Uri) -> Option<PathBuf> {
    let text = uri.as_str();
    let rest = text
        .get(..5)
        .filter(|s| s.eq_ignore_ascii_case("file:"))
        .map(|_| &text[5..])?;
    // `file:///p`, `file://localhost/p` and `file:/p` all name `/p`.
    let rest = match rest.strip_prefix("//") {
        Some(r) => &r[r.find('/')?..],
        None => rest,
    };
    let rest = &rest[..rest.find(['?', '#']).unwrap_or(rest.len())];
    let bytes = percent_decode(rest)?;
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        Some(PathBuf::from(std::ffi::OsString::from_vec(bytes)))
    }
    #[cfg(not(unix))]
    {
        let text = String::from_utf8(bytes).ok()?;
        // `/C:/x` is `C:/x`.
        let text = match text.as_bytes() {
            [b'/', d, b':', ..] if d.is_ascii_alphabetic() => &text[1..],
            _ => &text,
        };
        Some(PathBuf::from(text))
    }
}

fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// The `file:` URI of an absolute path.
pub fn from_path(path: &Path) -> Option<Uri> {
    let path = std::path::absolute(path).ok()?;
    #[cfg(unix)]
    let bytes = {
        use std::os::unix::ffi::OsStrExt;
        path.as_os_str().as_bytes().to_vec()
    };
    #[cfg(not(unix))]
    let bytes = format!("/{}", path.to_str()?.replace('\\', "/")).into_bytes();
    let mut uri = String::from("file://");
    for b in bytes {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    Uri::from_str(&uri).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_round_trip() {
        let uri = Uri::from_str("file:///tmp/a%20b/caf%C3%A9.json").unwrap();
        assert_eq!(to_path(&uri), Some(PathBuf::from("/tmp/a b/café.json")));
        assert_eq!(from_path(Path::new("/tmp/a b/café.json")).unwrap(), uri);
        let localhost = Uri::from_str("file://localhost/etc/x.yaml").unwrap();
        assert_eq!(to_path(&localhost), Some(PathBuf::from("/etc/x.yaml")));
        assert_eq!(to_path(&Uri::from_str("untitled:Untitled-1").unwrap()), None);
    }
}
