//! A real `openentry serve` process in a test: the base URL it prints once it listens, and its
//! stdout drained from then on so it never blocks on a full pipe.

use std::io::{BufRead, BufReader};
use std::process::Child;

/// Waits for `openentry listening on <url>` on `child`'s piped stdout; returns the URL.
pub(crate) fn base_url(child: &mut Child) -> String {
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = loop {
        let line = lines
            .next()
            .expect("the server exited before listening")
            .unwrap();
        if let Some(url) = line.strip_prefix("openentry listening on ") {
            break url.trim().to_owned();
        }
    };
    std::thread::spawn(move || lines.for_each(drop));
    base
}
