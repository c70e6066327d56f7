//! [`Str`]: the text of a key or scalar in the span tree, borrowed from the
//! source or owned, in 16 bytes. A `Cow<str>` takes 24 (a `String`'s
//! capacity), and every node and member holds one: a tree of a large file
//! is millions of them, and the tree is about four times its text.

use std::borrow::{Borrow, Cow};
use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;
use std::ptr::NonNull;

/// The top bit of the length says the bytes are owned (a leaked
/// `Box<str>`, freed on drop). No allocation is longer than `isize::MAX`
/// bytes, so the bit is never part of a length.
const OWNED: usize = 1 << (usize::BITS - 1);

pub struct Str<'s> {
    ptr: NonNull<u8>,
    tagged_len: usize,
    _text: PhantomData<&'s str>,
}

// SAFETY: a `Str` is either a `&str` or a `Box<str>`, both `Send` and
// `Sync`; nothing is shared mutably.
unsafe impl Send for Str<'_> {}
unsafe impl Sync for Str<'_> {}

impl<'s> Str<'s> {
    pub const fn borrowed(text: &'s str) -> Self {
        Str {
            // SAFETY: a reference is never null.
            ptr: unsafe { NonNull::new_unchecked(text.as_ptr().cast_mut()) },
            tagged_len: text.len(),
            _text: PhantomData,
        }
    }

    pub fn owned(text: impl Into<Box<str>>) -> Self {
        let text: Box<str> = text.into();
        let len = text.len();
        let raw = Box::into_raw(text);
        Str {
            // SAFETY: `Box::into_raw` is never null.
            ptr: unsafe { NonNull::new_unchecked(raw.cast::<u8>()) },
            tagged_len: len | OWNED,
            _text: PhantomData,
        }
    }

    pub fn as_str(&self) -> &str {
        // SAFETY: `ptr` and the length are those of a `&'s str` or of a
        // `Box<str>` this value owns, both valid UTF-8 and alive as long
        // as `self`.
        unsafe {
            let bytes = std::slice::from_raw_parts(self.ptr.as_ptr(), self.tagged_len & !OWNED);
            std::str::from_utf8_unchecked(bytes)
        }
    }

    pub fn is_owned(&self) -> bool {
        self.tagged_len & OWNED != 0
    }

    pub fn into_owned(self) -> String {
        self.as_str().to_string()
    }
}

impl Drop for Str<'_> {
    fn drop(&mut self) {
        if self.is_owned() {
            let len = self.tagged_len & !OWNED;
            // SAFETY: an owned `Str` was made from `Box::into_raw` of a
            // `Box<str>` of `len` bytes, and is dropped once.
            unsafe {
                let raw = std::ptr::slice_from_raw_parts_mut(self.ptr.as_ptr(), len) as *mut str;
                drop(Box::from_raw(raw));
            }
        }
    }
}

impl Clone for Str<'_> {
    fn clone(&self) -> Self {
        if self.is_owned() {
            Str::owned(self.as_str())
        } else {
            Str {
                ptr: self.ptr,
                tagged_len: self.tagged_len,
                _text: PhantomData,
            }
        }
    }
}

impl Deref for Str<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Str<'_> {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Str<'_> {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl<'s> From<&'s str> for Str<'s> {
    fn from(text: &'s str) -> Self {
        Str::borrowed(text)
    }
}

impl From<String> for Str<'_> {
    fn from(text: String) -> Self {
        Str::owned(text)
    }
}

impl<'s> From<Cow<'s, str>> for Str<'s> {
    fn from(text: Cow<'s, str>) -> Self {
        match text {
            Cow::Borrowed(text) => Str::borrowed(text),
            Cow::Owned(text) => Str::owned(text),
        }
    }
}

impl<'s> From<Str<'s>> for Cow<'s, str> {
    fn from(text: Str<'s>) -> Self {
        if text.is_owned() {
            Cow::Owned(text.into_owned())
        } else {
            let len = text.tagged_len;
            // SAFETY: a borrowed `Str` is a `&'s str`.
            Cow::Borrowed(unsafe { std::str::from_utf8_unchecked(std::slice::from_raw_parts(text.ptr.as_ptr(), len)) })
        }
    }
}

impl fmt::Debug for Str<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Str<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl PartialEq for Str<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Str<'_> {}

impl std::hash::Hash for Str<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl PartialOrd for Str<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Str<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialEq<str> for Str<'_> {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Str<'_> {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Str<'_> {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<Str<'_>> for str {
    fn eq(&self, other: &Str<'_>) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Str<'_>> for String {
    fn eq(&self, other: &Str<'_>) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Str<'_>> for &str {
    fn eq(&self, other: &Str<'_>) -> bool {
        *self == other.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sixteen_bytes_and_the_tree_it_shrinks() {
        assert_eq!(std::mem::size_of::<Str>(), 16);
        // With `Cow<str>` and vectors: 48 and 88.
        assert_eq!(std::mem::size_of::<crate::Node>(), 40);
        assert_eq!(std::mem::size_of::<crate::Member>(), 72);
    }

    #[test]
    fn borrows_or_owns_and_reads_the_same() {
        let source = String::from("prod/api");
        let borrowed = Str::from(&source[..4]);
        let owned = Str::from(String::from("prod"));
        assert!(!borrowed.is_owned());
        assert!(owned.is_owned());
        assert_eq!(borrowed, owned);
        assert_eq!(&*owned, "prod");
        assert_eq!(borrowed.as_ptr(), source.as_ptr());
        let copy = owned.clone();
        drop(owned);
        assert_eq!(copy, "prod");
        assert_eq!(format!("{copy:?} {borrowed}"), "\"prod\" prod");
        assert_eq!(Cow::from(borrowed), Cow::Borrowed("prod"));
        assert!(matches!(Cow::from(copy), Cow::Owned(s) if s == "prod"));
        assert_eq!(Str::from(String::new()), "");
    }
}
