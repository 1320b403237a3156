//! Reading, checking, importing and exporting project definitions (files, the demo, text).

use std::path::Path;

use openentry_domain::clock::Clock;
use openentry_domain::project::{self, ProjectDefinition};
use openentry_store::Db;
use openentry_store::project::ImportReport;

use crate::media::MediaStore;
use crate::media::source::MediaSource;

/// The demo project, also shipped as `examples/demo-project.toml`.
pub const DEMO_PROJECT: &str = include_str!("../../../../examples/demo-project.toml");

/// Parses and checks a definition; errors name the file, the place inside it and the problem.
pub fn parse_definition(source_name: &str, text: &str) -> anyhow::Result<ProjectDefinition> {
    let def: ProjectDefinition =
        toml::from_str(text).map_err(|e| anyhow::anyhow!("{source_name}: {e}"))?;
    project::check(&def).map_err(|errors| {
        let lines: Vec<String> = errors
            .iter()
            .map(|e| format!("{source_name}: {e}"))
            .collect();
        anyhow::anyhow!("the project definition is not valid:\n{}", lines.join("\n"))
    })?;
    Ok(def)
}

/// Reads, checks and imports a definition file (all or nothing), copying the media files it
/// names (paths relative to the file) into `media`.
pub async fn import_file(
    db: &Db,
    media: &dyn MediaStore,
    clock: &dyn Clock,
    path: &Path,
) -> anyhow::Result<ImportReport> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read project file {}: {e}", path.display()))?;
    let name = path.display().to_string();
    import_from(db, media, clock, &name, &text, &MediaSource::beside(path)).await
}

/// Imports the demo project with its built-in media.
pub async fn import_demo(
    db: &Db,
    media: &dyn MediaStore,
    clock: &dyn Clock,
) -> anyhow::Result<ImportReport> {
    import_from(
        db,
        media,
        clock,
        "demo project",
        DEMO_PROJECT,
        &MediaSource::Demo,
    )
    .await
}

/// Checks and imports a definition given as text (it can name no media paths: there is no
/// directory to read them from).
pub async fn import_text(
    db: &Db,
    media: &dyn MediaStore,
    clock: &dyn Clock,
    name: &str,
    text: &str,
) -> anyhow::Result<ImportReport> {
    import_from(db, media, clock, name, text, &MediaSource::None).await
}

async fn import_from(
    db: &Db,
    media: &dyn MediaStore,
    clock: &dyn Clock,
    name: &str,
    text: &str,
    source: &MediaSource,
) -> anyhow::Result<ImportReport> {
    let mut def = parse_definition(name, text)?;
    crate::media::import::prepare(&mut def, media, source)
        .await
        .map_err(|errors| {
            let lines: Vec<String> = errors.iter().map(|e| format!("{name}: {e}")).collect();
            anyhow::anyhow!("the project definition is not valid:\n{}", lines.join("\n"))
        })?;
    openentry_store::project::import(db, &def, clock.now())
        .await
        .map_err(|e| anyhow::anyhow!("{name}: not imported: {e}"))
}

/// The stored definition as a file that imports again: media keys become `media/<key>` paths;
/// with `dir`, the media files are copied there (`<dir>/media/<key>`).
pub async fn export(
    def: &ProjectDefinition,
    media: &dyn MediaStore,
    dir: Option<&Path>,
) -> anyhow::Result<String> {
    let mut def = def.clone();
    let keys = crate::media::import::unprepare(&mut def);
    if let Some(dir) = dir {
        crate::media::import::copy_out(media, &keys, dir).await?;
    }
    to_toml(&def)
}

/// A definition as TOML text (for `project export`).
pub fn to_toml(def: &ProjectDefinition) -> anyhow::Result<String> {
    Ok(toml::to_string_pretty(def)?)
}
