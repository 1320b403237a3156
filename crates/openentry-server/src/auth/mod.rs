//! Credentials and sign-in flows: password hashing, access tokens (JWT), refresh tokens,
//! one-time codes, sign-up and sign-in.

mod argon_memory;
pub mod codes;
pub(crate) mod limits;
pub mod passwords;
pub(crate) mod provider;
pub mod signin;
pub mod signup;
pub mod tokens;

/// `N` bytes from the operating system's CSPRNG.
pub(crate) fn random_bytes<const N: usize>() -> anyhow::Result<[u8; N]> {
    let mut out = [0u8; N];
    getrandom::fill(&mut out).map_err(|e| anyhow::anyhow!("no randomness from the OS: {e}"))?;
    Ok(out)
}
