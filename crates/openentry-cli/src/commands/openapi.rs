//! `openentry openapi`: the OpenAPI document on stdout, to check in as `docs/openapi.json`
//! (`cargo run --locked -- openapi > docs/openapi.json`).

use std::io::Write;

pub(crate) fn run() -> anyhow::Result<()> {
    let text = openentry_server::openapi_json()?;
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(())
}
