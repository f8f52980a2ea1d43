//! How the storefront names a product: its path, from its name (`/sample-dustpan-brush/`).

/// A product's path on the storefront.
pub fn product_path(name: &str) -> String {
    format!("/{}/", slug(name))
}

/// Lower-case ASCII letters and digits, every other run of characters one `-`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_from_names() {
        assert_eq!(slug("Sample Dustpan & Brush"), "sample-dustpan-brush");
        assert_eq!(product_path("Ørbit  Chair!"), "/rbit-chair/");
        assert_eq!(product_path(""), "//");
    }
}
