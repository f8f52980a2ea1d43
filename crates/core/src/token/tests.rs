//! Claims, kinds, signing and verification of storefront API tokens.

use super::*;
use aws_lc_rs::hmac;

fn claims() -> Claims {
    Claims {
        cid: vec![1],
        cors: vec!["http://localhost:3000".into()],
        eat: 2_147_483_647,
        iat: 1_700_000_000,
        iss: "BC".into(),
        jti: "00000000-0000-4000-8000-000000000000".into(),
        scopes: None,
        sid: 1_000_001,
        sub: "abcdefghijklmnopqrstuvwxyz01234".into(),
        sub_type: SUB_TYPE_API_ACCOUNT,
        token_type: 1,
    }
}

fn ring() -> (SigningKey, KeyRing) {
    let key = SigningKey::generate().expect("key");
    let vk = key.verifying_key().expect("vk");
    let again = SigningKey::from_pkcs8(&hex::decode(hex::encode(key_pkcs8(&key))).expect("hex"))
        .expect("again");
    (again, KeyRing::new(Some(key), vec![vk]))
}

fn key_pkcs8(key: &SigningKey) -> Vec<u8> {
    let stored = key.to_stored(None);
    base64::engine::general_purpose::STANDARD
        .decode(stored.trim_start_matches("plain:"))
        .expect("b64")
}

fn b64(s: &str) -> String {
    URL_SAFE_NO_PAD.encode(s)
}

#[test]
fn signs_with_the_documented_header_and_sorted_claims() {
    let (key, ring) = ring();
    let token = sign(&claims(), &key).expect("sign");
    let [h, p, s] = segments(&token).expect("segments");
    let header = String::from_utf8(URL_SAFE_NO_PAD.decode(h).expect("h")).expect("utf8");
    assert_eq!(
        header,
        format!(r#"{{"typ":"JWT","alg":"ES256","kid":"{}"}}"#, key.kid())
    );
    let payload = String::from_utf8(URL_SAFE_NO_PAD.decode(p).expect("p")).expect("utf8");
    assert!(payload
        .starts_with(r#"{"cid":[1],"cors":["http://localhost:3000"],"eat":2147483647,"iat":"#));
    assert_eq!(URL_SAFE_NO_PAD.decode(s).expect("s").len(), 64);
    assert_eq!(verify(&token, &ring), Ok(claims()));
}

#[test]
fn accepts_a_bare_integer_cid() {
    let (key, ring) = ring();
    let token = sign(&claims(), &key).expect("sign");
    let [h, _, _] = segments(&token).expect("segments");
    let payload = serde_json::to_string(&claims())
        .expect("json")
        .replace(r#""cid":[1]"#, r#""cid":1"#);
    let unsigned = format!("{h}.{}", b64(&payload));
    let sig = key.sign(unsigned.as_bytes()).expect("sig");
    let token = format!("{unsigned}.{}", URL_SAFE_NO_PAD.encode(sig));
    assert_eq!(verify(&token, &ring).expect("verify").cid, vec![1]);
}

#[test]
fn rejects_each_malformation_with_its_reason() {
    let (key, ring) = ring();
    let good = sign(&claims(), &key).expect("sign");
    let [h, p, s] = segments(&good).expect("segments");
    let pub_point = ring.verifier(key.kid()).expect("vk").point().to_vec();
    let hs_with_public_key = {
        let hh = b64(&format!(
            r#"{{"typ":"JWT","alg":"HS256","kid":"{}"}}"#,
            key.kid()
        ));
        let unsigned = format!("{hh}.{p}");
        let tag = hmac::sign(
            &hmac::Key::new(hmac::HMAC_SHA256, &pub_point),
            unsigned.as_bytes(),
        );
        format!("{unsigned}.{}", URL_SAFE_NO_PAD.encode(tag))
    };
    let other = SigningKey::generate().expect("other");
    let cases: Vec<(String, VerifyError)> = vec![
        ("abc".into(), VerifyError::NotJwt),
        ("a.b".into(), VerifyError::NotJwt),
        (format!("{good}.x"), VerifyError::NotJwt),
        (format!("{good}.x.y"), VerifyError::NotJwt),
        ("".into(), VerifyError::NotJwt),
        ("!!!!.@@@@.####".into(), VerifyError::NoValidJson),
        (format!("{h}..{s}"), VerifyError::NoValidJson),
        (format!("{h}.{p}.{s}=="), VerifyError::BadSignature),
        (format!("{h}.{p}."), VerifyError::BadSignature),
        (format!("{h}.{p}.{s}!"), VerifyError::BadSignature),
        (
            format!("{}.{p}.", b64(r#"{"typ":"JWT","alg":"none"}"#)),
            VerifyError::BadSignature,
        ),
        (
            format!("{}.{p}.{s}", b64("not json")),
            VerifyError::NoValidJson,
        ),
        (
            format!("{h}.{}.{s}", b64("{nope")),
            VerifyError::NoValidJson,
        ),
        (format!("{h}.A.{s}"), VerifyError::NoValidJson),
        (
            format!("{h}.{}.{s}", b64(r#"{"hello":"world"}"#)),
            VerifyError::UnknownFormat,
        ),
        (
            format!("{}.{p}.{s}", b64(r#"{"typ":"JWT"}"#)),
            VerifyError::UnknownFormat,
        ),
        (
            format!("{}.{p}.{s}", b64(r#"{"typ":"JWT","alg":"none"}"#)),
            VerifyError::BadSignature,
        ),
        (
            format!("{}.{p}.AAAA", b64(r#"{"alg":"none"}"#)),
            VerifyError::BadSignature,
        ),
        (hs_with_public_key, VerifyError::BadSignature),
        (
            format!(
                "{}.{p}.{s}",
                b64(r#"{"typ":"JWT","alg":"ES256","kid":"unknown"}"#)
            ),
            VerifyError::BadSignature,
        ),
        (
            format!("{}.{p}.{s}", b64(r#"{"typ":"JWT","alg":"ES256"}"#)),
            VerifyError::BadSignature,
        ),
        (
            format!("{h}.{p}.{}", &s[..s.len() - 2]),
            VerifyError::BadSignature,
        ),
        (
            sign(&claims(), &other).expect("other"),
            VerifyError::BadSignature,
        ),
    ];
    for (token, expected) in cases {
        assert_eq!(verify(&token, &ring), Err(expected), "token {token}");
    }
    // A payload changed after signing fails the signature, even though it parses.
    let mut tampered = claims();
    tampered.sid = 42;
    let forged = format!(
        "{h}.{}.{s}",
        b64(&serde_json::to_string(&tampered).expect("json"))
    );
    assert_eq!(verify(&forged, &ring), Err(VerifyError::BadSignature));
}

#[test]
fn only_the_low_s_encoding_of_a_signature_verifies() {
    let (key, ring) = ring();
    for _ in 0..64 {
        let token = sign(&claims(), &key).expect("sign");
        let [h, p, s] = segments(&token).expect("segments");
        let sig = URL_SAFE_NO_PAD.decode(s).expect("sig");
        assert!(crate::ecdsa::is_low_s(&sig), "we sign low-s only");
        // n - s: the same signature's other encoding.
        let mut twin = sig.clone();
        crate::ecdsa::flip_s(&mut twin);
        let twin = format!("{h}.{p}.{}", URL_SAFE_NO_PAD.encode(&twin));
        // It is a valid ECDSA signature, which aws-lc accepts on its own...
        let signed = format!("{h}.{p}");
        let point = ring.verifier(key.kid()).expect("vk").point().to_vec();
        assert!(UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, &point)
            .verify(
                signed.as_bytes(),
                &URL_SAFE_NO_PAD
                    .decode(twin.rsplit('.').next().expect("s"))
                    .expect("b64")
            )
            .is_ok());
        // ...and that verification refuses,
        assert_eq!(verify(&twin, &ring), Err(VerifyError::BadSignature));
        assert!(verify(&token, &ring).is_ok());
        // but for tokens issued before signatures were canonical.
        let legacy = ring.clone().with_high_s_issued_before(claims().iat + 1);
        assert!(verify(&twin, &legacy).is_ok());
        let current = ring.clone().with_high_s_issued_before(claims().iat);
        assert_eq!(verify(&twin, &current), Err(VerifyError::BadSignature));
    }
}

#[test]
fn unknown_scope_or_kind_is_unknown_format() {
    let (key, ring) = ring();
    let mut c = claims();
    c.token_type = 9;
    assert_eq!(
        verify(&sign(&c, &key).expect("s"), &ring),
        Err(VerifyError::UnknownFormat)
    );
    let mut c = claims();
    c.scopes = Some(vec!["Admin".into()]);
    assert_eq!(
        verify(&sign(&c, &key).expect("s"), &ring),
        Err(VerifyError::UnknownFormat)
    );
}
