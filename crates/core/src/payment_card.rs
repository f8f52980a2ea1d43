//! What is kept of a card a payment was made with: its brand, told from the number's leading
//! digits (the issuer ranges card networks publish), and its last four digits. The number
//! itself is never kept.

/// The name BigCommerce's order payments show for the test gateway, whatever method id the
/// client named (the stand-in has this one gateway).
pub const GATEWAY_NAME: &str = "Test Payment Gateway";
/// The longest `payment_method_id` a payment may name.
pub const MAX_METHOD_ID_LEN: usize = 100;

/// The card network of a number of ASCII digits, or `"Unknown"`.
pub fn brand(number: &str) -> &'static str {
    let prefix = |n: usize| number.get(..n).and_then(|p| p.parse::<u32>().ok());
    let within = |n: usize, lo: u32, hi: u32| prefix(n).is_some_and(|p| (lo..=hi).contains(&p));
    if number.starts_with('4') {
        "Visa"
    } else if within(2, 51, 55) || within(4, 2221, 2720) {
        "Mastercard"
    } else if within(2, 34, 34) || within(2, 37, 37) {
        "American Express"
    } else if within(4, 6011, 6011) || within(3, 644, 649) || within(2, 65, 65) {
        "Discover"
    } else if within(4, 3528, 3589) {
        "JCB"
    } else if within(3, 300, 305) || within(2, 36, 36) || within(2, 38, 39) {
        "Diners Club"
    } else {
        "Unknown"
    }
}

/// The last four characters of the number (all of it when shorter).
pub fn last4(number: &str) -> &str {
    let start = number.len().saturating_sub(4);
    number.get(start..).unwrap_or(number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brands_by_issuer_range() {
        let cases = [
            ("4111111111111111", "Visa"),
            ("4000000000000002", "Visa"),
            ("5105105105105100", "Mastercard"),
            ("5555555555554444", "Mastercard"),
            ("2221000000000009", "Mastercard"),
            ("2720990000000007", "Mastercard"),
            ("2721000000000000", "Unknown"),
            ("5600000000000000", "Unknown"),
            ("378282246310005", "American Express"),
            ("341111111111111", "American Express"),
            ("6011111111111117", "Discover"),
            ("6445644564456445", "Discover"),
            ("6500000000000002", "Discover"),
            ("3530111333300000", "JCB"),
            ("30569309025904", "Diners Club"),
            ("36227206271667", "Diners Club"),
            ("1234567890123", "Unknown"),
            ("", "Unknown"),
        ];
        for (number, expected) in cases {
            assert_eq!(brand(number), expected, "{number}");
        }
    }

    #[test]
    fn last_four_digits() {
        assert_eq!(last4("4111111111111111"), "1111");
        assert_eq!(last4("4000000000000002"), "0002");
        assert_eq!(last4("123"), "123");
        assert_eq!(last4(""), "");
    }
}
