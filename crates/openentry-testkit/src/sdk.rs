//! The official JS SDK (`tests/sdk`, oneentry 1.0.149, strict validation) reading from a test
//! server, for tests that must show the SDK sees what an operator made. Runs
//! `tests/sdk/read.mjs` with Node; on a machine without Node or without the suite's
//! `node_modules` (`npm ci` in tests/sdk; the test command installs them first) it says so
//! loudly and answers `None`.

use std::path::PathBuf;

use serde_json::Value;

use crate::TestServer;

/// `tests/sdk`, from this crate's directory.
fn sdk_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/sdk")
}

impl TestServer {
    /// Makes each `(module, method, arguments)` call through the SDK with the app token, in
    /// order, and returns their answers; panics naming the call the SDK refused or could not
    /// validate. `None` when the SDK cannot run here (said on stderr).
    pub async fn sdk_read(&self, calls: &[(&str, &str, Value)]) -> Option<Vec<Value>> {
        let dir = sdk_dir();
        if !dir.join("node_modules/oneentry").is_dir() {
            eprintln!(
                "\n*** SKIPPED the SDK read: no {}/node_modules/oneentry (npm ci) ***\n",
                dir.display()
            );
            return None;
        }
        let calls: Vec<Value> = calls
            .iter()
            .map(|(m, f, args)| Value::from(vec![Value::from(*m), Value::from(*f), args.clone()]))
            .collect();
        let (url, token) = (self.url.clone(), self.app_token.clone());
        // Blocks a pool thread, not the runtime, while Node runs (a second or so).
        let out = tokio::task::spawn_blocking(move || {
            std::process::Command::new("node")
                .current_dir(&dir)
                .arg("read.mjs")
                .arg(url)
                .arg(token)
                .arg(Value::from(calls).to_string())
                .output()
        })
        .await
        .expect("the SDK reader's thread");
        let out = match out {
            Ok(o) => o,
            Err(e) => {
                eprintln!("\n*** SKIPPED the SDK read: node does not start ({e}) ***\n");
                return None;
            }
        };
        assert!(
            out.status.success(),
            "the SDK refused a read: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let answers: Vec<Value> =
            serde_json::from_slice(&out.stdout).expect("the SDK reader prints a JSON array");
        Some(answers)
    }
}
