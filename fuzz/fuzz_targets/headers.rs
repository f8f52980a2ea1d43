//! Any `Cookie`, `Origin` or `redirect_to` value: cookies are read, origins checked and
//! requests classified without panicking, and a redirect that passes stays on the storefront.
#![no_main]

use libfuzzer_sys::fuzz_target;
use storefront_auth_core::request::{cookie, RequestOrigin, RequestSignals};
use storefront_auth_core::{customer_login, validate};

const SITE: &str = "https://shop.example";

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = cookie([text.as_ref()], "SHOP_TOKEN");
    let _ = validate::check_origin(&text);
    let _ = validate::origin_of(&text);
    let classified = RequestOrigin::classify(RequestSignals {
        origin: Some(text.to_string()),
        ..Default::default()
    });
    assert!(classified.is_browser(), "an Origin always makes a browser request");
    if let Ok(target) = customer_login::safe_redirect(Some(&text), SITE) {
        assert!(!target.chars().any(|c| c.is_control() || c.is_whitespace()));
        assert!(!target.starts_with("//") && !target.contains('\\'));
        assert!(target.starts_with('/') || target.starts_with(SITE), "{target}");
    }
});
