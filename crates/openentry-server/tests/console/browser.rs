//! One headless Chromium per test, through a chromedriver of its own on a free port. The
//! driver announces on stdout when it listens, so nothing waits on a timer; pages are read
//! with WebDriver's own waits for elements.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::error::{CmdError, ErrorStatus};
use fantoccini::{Client, ClientBuilder, Locator};
use openentry_testkit::TestServer;
use serde_json::json;

/// Where the driver and the browser are on Debian (`chromium`, `chromium-driver`).
const DRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// How long WebDriver waits for an element before the test fails.
const WAIT: Duration = Duration::from_secs(10);

/// A browser session and the driver behind it (killed on drop).
pub(crate) struct Browser {
    pub(crate) client: Client,
    /// The server's base URL.
    pub(crate) base: String,
    driver: Child,
}

impl Browser {
    /// A browser on `server`, or `None` (said loudly) when this machine has no chromedriver.
    pub(crate) async fn open(server: &TestServer) -> Option<Self> {
        if !std::path::Path::new(DRIVER).exists() {
            eprintln!(
                "\n*** SKIPPED: no chromedriver at {DRIVER} (apt-get install chromium chromium-driver) ***\n"
            );
            return None;
        }
        let port = openentry_testkit::smtp::free_port();
        let mut driver = Command::new(DRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let out = driver.stdout.take().expect("chromedriver's stdout");
        // Blocks only until the driver says it listens (tens of milliseconds).
        tokio::task::spawn_blocking(move || {
            let mut lines = BufReader::new(out).lines();
            for line in lines.by_ref() {
                if line
                    .expect("chromedriver output")
                    .contains("started successfully")
                {
                    break;
                }
            }
            // Keep draining so the driver never blocks on a full pipe.
            std::thread::spawn(move || lines.for_each(drop));
        })
        .await
        .unwrap();
        let mut args = vec![
            "--headless=new",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--window-size=1280,900",
        ];
        if is_root() {
            args.push("--no-sandbox");
        }
        let caps = json!({"goog:chromeOptions": {"binary": CHROMIUM, "args": args}});
        let serde_json::Value::Object(caps) = caps else {
            unreachable!()
        };
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a WebDriver session");
        Some(Self {
            client,
            base: server.url.clone(),
            driver,
        })
    }

    /// Opens `path` of the server.
    pub(crate) async fn go(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap();
    }

    /// Waits for the element `css` and returns its text.
    pub(crate) async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.unwrap()
    }

    /// Waits for the element `css`.
    pub(crate) async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css} on the page: {e}"))
    }

    /// Types `value` into the field `css`.
    pub(crate) async fn fill(&self, css: &str, value: &str) {
        self.find(css).await.send_keys(value).await.unwrap();
    }

    /// Clicks `css`, a link or a submit button, and waits until the browser has left the page
    /// it was on. Without that wait, a look-up right after the click could find the element on
    /// the old page, which then goes stale under the test (the console has no script: every
    /// click on a link or a button loads a new page).
    pub(crate) async fn click(&self, css: &str) {
        let old = self.find("html").await;
        self.find(css).await.click().await.unwrap();
        let start = Instant::now();
        // Each probe is a WebDriver round trip, so the loop paces itself without a timer.
        loop {
            match old.tag_name().await {
                Err(CmdError::Standard(e)) if e.error == ErrorStatus::StaleElementReference => {
                    return;
                }
                // While the browser swaps documents, Chrome can answer with other errors
                // ("Node with given id does not belong to the document"); the old element
                // reads as stale once the new page is in, so those mean "keep asking".
                Err(e) if start.elapsed() > WAIT => panic!("after clicking {css}: {e}"),
                Ok(_) if start.elapsed() > WAIT => {
                    panic!("clicking {css} did not lead to a new page")
                }
                Err(_) | Ok(_) => {}
            }
        }
    }

    /// Clicks `css` where the click stays on the page: a checkbox or a list's option.
    pub(crate) async fn tick(&self, css: &str) {
        self.find(css).await.click().await.unwrap();
    }

    /// The `<html>` attribute `name`.
    pub(crate) async fn html_attr(&self, name: &str) -> Option<String> {
        self.find("html").await.attr(name).await.unwrap()
    }

    /// The current path.
    pub(crate) async fn path(&self) -> String {
        self.client.current_url().await.unwrap().path().to_owned()
    }

    /// Saves a PNG of the page as `target/console-screenshots/<database>/<name>.png`.
    pub(crate) async fn shot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        let dir = shots_dir();
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    /// Ends the browser session and the driver.
    pub(crate) async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}

fn shots_dir() -> PathBuf {
    let db = if openentry_testkit::test_database_admin_url().is_some() {
        "postgres"
    } else {
        "sqlite"
    };
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../target/console-screenshots"
    ))
    .join(db)
}

/// Chromium refuses to sandbox itself as root (CI runs as root).
fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status").is_ok_and(|s| {
        s.lines()
            .find(|l| l.starts_with("Uid:"))
            .is_some_and(|l| l.split_whitespace().nth(1) == Some("0"))
    })
}
