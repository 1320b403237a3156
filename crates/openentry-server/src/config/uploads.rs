//! The settings of uploads and of the S3-compatible media store (README, "Configuration";
//! docs/decisions.md, "Uploaded files"), kept beside `Config` so its file stays readable.

use std::time::Duration;

use super::{Config, env_value};

/// An S3-compatible bucket (AWS, MinIO, Garage, …). `Debug` hides the secret key.
#[derive(Clone)]
pub struct S3Settings {
    /// The bucket (it must exist).
    pub bucket: String,
    /// The server's URL (`http://127.0.0.1:9000`); `None`: AWS.
    pub endpoint: Option<String>,
    /// The region (`us-east-1` when not set).
    pub region: String,
    /// Access key id; without one (and a secret) requests are unsigned.
    pub access_key_id: Option<String>,
    /// Secret access key.
    pub secret_access_key: Option<String>,
}

impl std::fmt::Debug for S3Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Settings")
            .field("bucket", &self.bucket)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .finish_non_exhaustive()
    }
}

/// The bucket `OPENENTRY_MEDIA_S3_*` name, when `OPENENTRY_MEDIA_S3_BUCKET` is set.
pub(super) fn s3_from_env() -> Option<S3Settings> {
    let bucket = env_value("OPENENTRY_MEDIA_S3_BUCKET")?;
    Some(S3Settings {
        bucket,
        endpoint: env_value("OPENENTRY_MEDIA_S3_ENDPOINT"),
        region: env_value("OPENENTRY_MEDIA_S3_REGION").unwrap_or_else(|| "us-east-1".to_owned()),
        access_key_id: env_value("OPENENTRY_MEDIA_S3_ACCESS_KEY_ID"),
        secret_access_key: env_value("OPENENTRY_MEDIA_S3_SECRET_ACCESS_KEY"),
    })
}

impl Config {
    /// Reads the upload limits from `OPENENTRY_UPLOAD_*` (README, "Configuration"); a value
    /// that does not parse is an error naming the variable.
    pub fn uploads_from_env(&mut self) -> Result<(), String> {
        fn num<T: std::str::FromStr>(name: &str, into: &mut T) -> Result<(), String> {
            if let Some(v) = env_value(name) {
                *into = v
                    .trim()
                    .parse()
                    .map_err(|_| format!("{name}: \"{v}\" is not a whole number"))?;
            }
            Ok(())
        }
        num(
            "OPENENTRY_UPLOAD_MAX_FILE_BYTES",
            &mut self.upload_max_file_bytes,
        )?;
        num("OPENENTRY_UPLOAD_MAX_FILES", &mut self.upload_max_files)?;
        num("OPENENTRY_UPLOAD_QUOTA_BYTES", &mut self.upload_quota_bytes)?;
        num("OPENENTRY_UPLOAD_QUOTA_FILES", &mut self.upload_quota_files)?;
        let mut secs = self.upload_read_timeout.as_secs();
        num("OPENENTRY_UPLOAD_READ_TIMEOUT_SECS", &mut secs)?;
        self.upload_read_timeout = Duration::from_secs(secs);
        if let Some(types) = env_value("OPENENTRY_UPLOAD_TYPES") {
            self.upload_types = types
                .split(',')
                .map(|t| t.trim().to_ascii_lowercase())
                .filter(|t| !t.is_empty())
                .collect();
        }
        Ok(())
    }

    /// Largest body of an upload request: every file at its largest, and room for each
    /// part's headers. The global `body_limit` does not apply to that route.
    pub fn upload_body_limit(&self) -> usize {
        let per_file = usize::try_from(self.upload_max_file_bytes).unwrap_or(usize::MAX);
        self.upload_max_files
            .max(1)
            .saturating_mul(per_file.saturating_add(16 * 1024))
    }

    /// What the upload route reads at most, refused parts drained included: twice its
    /// limit, so a client that sends a little too much still reads its 413 rather than a
    /// broken pipe; beyond it the connection closes.
    pub fn upload_drain_limit(&self) -> usize {
        self.upload_body_limit().saturating_mul(2)
    }
}
