//! The response body a plan writes: JSON in the very bytes the executor's response serializes
//! to. Every scalar goes through serde_json's serializer, as async-graphql's values do; custom
//! scalars go through their own `ScalarType::to_value`, as async-graphql calls it.

use async_graphql::{ScalarType, ID};
use serde::Serialize;

use crate::graphql::schema::scalars::{BigDecimal, Long};

#[derive(Debug, Default)]
pub struct Json {
    buf: Vec<u8>,
}

impl Json {
    pub fn with_capacity(n: usize) -> Json {
        Json {
            buf: Vec::with_capacity(n),
        }
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }

    pub fn raw(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// Any serializable value, as serde_json writes it compactly.
    pub fn value<T: Serialize + ?Sized>(&mut self, v: &T) {
        // Writing into a Vec cannot fail, and these values serialize without error.
        let _ = v.serialize(&mut serde_json::Serializer::new(&mut self.buf));
    }

    pub fn null(&mut self) {
        self.raw(b"null");
    }
}

/// A `"name":` prefix, encoded once when the plan is compiled.
pub fn key(name: &str) -> Box<[u8]> {
    let mut out = Json::default();
    out.value(name);
    out.raw(b":");
    out.into_bytes().into_boxed_slice()
}

/// A leaf value as its GraphQL output type serializes it.
pub trait Leaf {
    fn write(&self, out: &mut Json);
}

macro_rules! serialized_leaf {
    ($($t:ty),*) => {
        $(impl Leaf for $t {
            fn write(&self, out: &mut Json) {
                out.value(self);
            }
        })*
    };
}
serialized_leaf!(str, String, i32, bool);

impl Leaf for ID {
    fn write(&self, out: &mut Json) {
        out.value(self.as_str());
    }
}

impl Leaf for Long {
    fn write(&self, out: &mut Json) {
        out.value(&self.to_value());
    }
}

impl Leaf for BigDecimal {
    fn write(&self, out: &mut Json) {
        out.value(&self.to_value());
    }
}

impl<T: Leaf + ?Sized> Leaf for &T {
    fn write(&self, out: &mut Json) {
        (**self).write(out);
    }
}

impl<T: Leaf> Leaf for Option<T> {
    fn write(&self, out: &mut Json) {
        match self {
            Some(v) => v.write(out),
            None => out.null(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(v: impl Leaf) -> String {
        let mut out = Json::default();
        v.write(&mut out);
        String::from_utf8(out.into_bytes()).expect("utf8")
    }

    #[test]
    fn leaves_serialize_as_the_executor_serializes_them() {
        assert_eq!(written("a \"b\"\n"), r#""a \"b\"\n""#);
        assert_eq!(written(-7i32), "-7");
        assert_eq!(written(Long(1 << 40)), "1099511627776");
        assert_eq!(written(BigDecimal(109.0)), "109.0");
        assert_eq!(written(BigDecimal(34.95)), "34.95");
        assert_eq!(written(BigDecimal(f64::NAN)), "null");
        assert_eq!(written(None::<String>), "null");
        assert_eq!(written(ID("UHJvZHVjdDox".into())), r#""UHJvZHVjdDox""#);
        assert_eq!(&*key("a1"), br#""a1":"#);
    }
}
