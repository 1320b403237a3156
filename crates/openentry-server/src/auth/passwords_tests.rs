//! Tests of `passwords`: agreement with the argon2 crate, malformed hashes, old parameters.

use super::*;

#[tokio::test]
async fn verifies_and_flags_old_parameters() {
    let pw = Passwords::new(Argon2Params::TESTING, 2, 4).unwrap();
    let hash = pw.hash("correct horse".to_owned()).await.unwrap();
    assert!(hash.starts_with("$argon2id$v=19$m=256,t=1,p=1$"), "{hash}");
    assert!(
        pw.verify("correct horse".to_owned(), Some(hash.clone()))
            .await
            .unwrap()
    );
    assert!(
        !pw.verify("correct hors".to_owned(), Some(hash.clone()))
            .await
            .unwrap()
    );
    assert!(!pw.verify("correct horse".to_owned(), None).await.unwrap());
    assert!(!pw.needs_rehash(&hash));
    let stronger = Passwords::new(
        Argon2Params {
            m_kib: 512,
            t: 1,
            p: 1,
        },
        1,
        1,
    )
    .unwrap();
    assert!(stronger.needs_rehash(&hash));
}

fn reference(alg: Algorithm, version: Version, m: u32, t: u32, out: usize) -> Argon2<'static> {
    Argon2::new(alg, version, Params::new(m, t, 1, Some(out)).unwrap())
}

/// Our PHC strings verify with the argon2 crate's own `PasswordVerifier` (what the old code
/// used), and its strings, made at other algorithms, versions, parameters and output
/// lengths, verify with ours.
#[test]
fn agrees_with_the_argon2_crate_both_ways() {
    use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
    let pool = MemoryPool::new(256, 1, IDLE_RELEASE);
    let ours = Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(256, 1, 1, None).unwrap(),
    );
    let phc = hash_with(&ours, b"correct horse", &mut pool.lease()).unwrap();
    assert!(phc.starts_with("$argon2id$v=19$m=256,t=1,p=1$"), "{phc}");
    let parsed = PasswordHash::new(&phc).unwrap();
    assert!(
        Argon2::default()
            .verify_password(b"correct horse", &parsed)
            .is_ok()
    );
    assert!(
        Argon2::default()
            .verify_password(b"correct hors", &parsed)
            .is_err()
    );

    for (alg, version, m, t, out) in [
        (Algorithm::Argon2id, Version::V0x13, 256, 1, 32),
        (Algorithm::Argon2id, Version::V0x13, 512, 2, 16),
        (Algorithm::Argon2id, Version::V0x13, 64, 3, 64),
        (Algorithm::Argon2i, Version::V0x13, 128, 1, 32),
        (Algorithm::Argon2d, Version::V0x10, 128, 1, 32),
    ] {
        let salt = SaltString::encode_b64(b"sixteen byte salt").unwrap();
        let theirs = reference(alg, version, m, t, out)
            .hash_password(b"correct horse", &salt)
            .unwrap()
            .to_string();
        // A pool sized for other parameters: smaller and larger stored costs both work.
        let pool = MemoryPool::new(256, 1, IDLE_RELEASE);
        let ok = |pw: &[u8]| verify_with(pw, &theirs, &mut pool.lease()).unwrap();
        assert!(ok(b"correct horse"), "{theirs}");
        assert!(!ok(b"correct horsf"), "{theirs}");
        assert!(!ok(b""), "{theirs}");
    }
}

#[test]
fn malformed_stored_hashes_are_errors() {
    let good = "$argon2id$v=19$m=256,t=1,p=1$c2l4dGVlbiBieXRlIHNhbHQ$\
                m8kv1p2yXv6O4dZ5M2mQ0Bkz1e6s7YrKqJmB3x1S2Gg";
    let pool = MemoryPool::new(256, 1, IDLE_RELEASE);
    for bad in [
        "",
        "plain text",
        "$argon2id$",
        "$argon2id$v=19$m=256,t=1,p=1$c2l4dGVlbiBieXRlIHNhbHQ",
        "$argon2id$v=19$m=256,t=1,p=1$$m8kv1p2yXv6O4dZ5M2mQ0Bkz1e6s7YrKqJmB3x1S2Gg",
        "$argon2id$v=19$m=256,t=1,p=1$c2FsdA$m8kv1p2yXv6O4dZ5M2mQ0Bkz1e6s7YrKqJmB3x1S2Gg",
        "$argon2id$v=19$m=256,t=1,p=1$c2l4dGVlbiBieXRlIHNhbHQ$AAAA",
        "$argon2id$v=19$m=256,t=1,p=1,x=1$c2l4dGVlbiBieXRlIHNhbHQ$m8kv1p2yXv6O4dZ5M2mQ0Bkz1e",
        "$argon2id$v=19$m=1,t=1,p=1$c2l4dGVlbiBieXRlIHNhbHQ$m8kv1p2yXv6O4dZ5M2mQ0Bkz1e6s7YrKq",
        "$argon2id$v=19$m=256,t=0,p=1$c2l4dGVlbiBieXRlIHNhbHQ$m8kv1p2yXv6O4dZ5M2mQ0Bkz1e6s7Yr",
        "$argon2id$v=18$m=256,t=1,p=1$c2l4dGVlbiBieXRlIHNhbHQ$m8kv1p2yXv6O4dZ5M2mQ0Bkz1e6s7Yr",
        "$argon2x$v=19$m=256,t=1,p=1$c2l4dGVlbiBieXRlIHNhbHQ$m8kv1p2yXv6O4dZ5M2mQ0Bkz1e6s7Yr",
        "$scrypt$ln=4,r=8,p=1$c2l4dGVlbiBieXRlIHNhbHQ$m8kv1p2yXv6O4dZ5M2mQ0Bkz1e6s7YrKqJm",
        "$argon2id$v=19$m=256,t=1,p=1$c2l4dGVlbiBieXRlIHNhbHQ$m8kv1p2yXv6O4dZ5M2mQ0Bkz1e6s7Y!!",
    ] {
        assert!(
            verify_with(b"pw", bad, &mut pool.lease()).is_err(),
            "{bad:?}"
        );
    }
    // Well formed but not this password's hash.
    assert!(!verify_with(b"pw", good, &mut pool.lease()).unwrap());
}

#[tokio::test]
async fn a_malformed_stored_hash_is_a_wrong_password() {
    let pw = Passwords::new(Argon2Params::TESTING, 1, 1).unwrap();
    assert!(
        !pw.verify("x".to_owned(), Some("$argon2id$junk".to_owned()))
            .await
            .unwrap()
    );
}

/// Hashes made at the testing parameters still verify after the server moves to the
/// production ones (and are flagged for a rehash).
#[tokio::test]
async fn verifies_hashes_made_with_other_parameters() {
    let old = Passwords::new(Argon2Params::TESTING, 1, 1).unwrap();
    let hash = old.hash("correct horse".to_owned()).await.unwrap();
    let new = Passwords::new(Argon2Params::PRODUCTION, 1, 1).unwrap();
    assert!(new.dummy.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
    assert!(
        new.verify("correct horse".to_owned(), Some(hash.clone()))
            .await
            .unwrap()
    );
    assert!(
        !new.verify("correct horsE".to_owned(), Some(hash.clone()))
            .await
            .unwrap()
    );
    assert!(new.needs_rehash(&hash));
}

#[test]
fn production_parameters_meet_owasp() {
    let p = Argon2Params::PRODUCTION;
    assert!(p.m_kib >= 19_456 && p.t == 2 && p.p == 1);
}
