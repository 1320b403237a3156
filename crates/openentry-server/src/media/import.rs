//! What an import does to a checked definition before storing it, and what an export undoes:
//! media paths become keys of the media store (the files copied in), text values become clean
//! HTML with its plain text, page content is sanitized. An export writes keys back as paths
//! (`media/<key>`), and can copy the files beside the exported file, so it imports again.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use openentry_domain::project::media::{StoredMedia, check_key, media_key, name_of_key};
use openentry_domain::project::{
    AttrValue, AttributeDef, DefinitionError, MediaRef, ProjectDefinition, TypedValue,
    for_each_leaf, parse_typed, walk_values,
};

use super::source::MediaSource;
use super::{MediaStore, ObjectId, content_type, preview};
use crate::content::text;

/// Prepares a checked definition for storing (see the module). Errors name their place.
pub(crate) async fn prepare(
    def: &mut ProjectDefinition,
    store: &dyn MediaStore,
    source: &MediaSource,
) -> Result<(), Vec<DefinitionError>> {
    let refs = collect(def);
    let mut stored: BTreeMap<String, StoredMedia> = BTreeMap::new();
    let mut errors = Vec::new();
    for (path, place) in &refs.paths {
        if matches!(source, MediaSource::Stored) && is_stored(store, path).await {
            continue; // already a key: stays as it is
        }
        match copy_in(store, source, path).await {
            Ok(m) => {
                stored.insert(path.clone(), m);
            }
            Err(e) => errors.push(DefinitionError {
                path: place.clone(),
                message: format!("media path \"{path}\": {e}"),
            }),
        }
    }
    for (key, place) in &refs.keys {
        if !matches!(store.stat(&ObjectId::original(key)).await, Ok(Some(_))) {
            errors.push(DefinitionError {
                path: place.clone(),
                message: format!(
                    "\"{key}\" is not in the media store; refer to the file by its path"
                ),
            });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    errors.extend(walk_values(def, &mut |_, attr, v| {
        for_each_leaf(attr, v, &mut |a, leaf| rewrite(a, leaf, &stored))
    }));
    let key_of = |p: &mut Option<String>| {
        if let Some(m) = p.as_ref().and_then(|path| stored.get(path)) {
            *p = Some(m.key.clone());
        }
    };
    def.locales.iter_mut().for_each(|l| key_of(&mut l.image));
    def.products
        .iter_mut()
        .for_each(|p| key_of(&mut p.preview_image));
    for page in &mut def.pages {
        for html in page.content.values_mut() {
            *html = text::sanitize_html(html);
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Whether `key` is the key of a file in the media store.
async fn is_stored(store: &dyn MediaStore, key: &str) -> bool {
    check_key(key).is_ok() && matches!(store.stat(&ObjectId::original(key)).await, Ok(Some(_)))
}

/// Media paths (with the first place each is named at) and stored keys a definition names.
#[derive(Default)]
struct Refs {
    paths: BTreeMap<String, String>,
    keys: BTreeMap<String, String>,
}

fn collect(def: &ProjectDefinition) -> Refs {
    let mut refs = Refs::default();
    let mut copy = def.clone();
    let _ = walk_values(&mut copy, &mut |place, attr, v| {
        for_each_leaf(attr, v, &mut |a, leaf| {
            if let Ok(TypedValue::Media(list)) = parse_typed(a, leaf) {
                for m in list {
                    match m {
                        MediaRef::Path { path, .. } => refs.paths.entry(path),
                        MediaRef::Stored(s) => refs.keys.entry(s.key),
                    }
                    .or_insert_with(|| place.to_owned());
                }
            }
            Ok(())
        })
    });
    for (i, l) in def.locales.iter().enumerate() {
        if let Some(p) = &l.image {
            refs.paths
                .entry(p.clone())
                .or_insert_with(|| format!("locales[{i}].image"));
        }
    }
    for (i, p) in def.products.iter().enumerate() {
        if let Some(img) = &p.preview_image {
            refs.paths
                .entry(img.clone())
                .or_insert_with(|| format!("products[{i}].preview_image"));
        }
    }
    refs
}

/// Reads a file, stores it under its key, and describes it.
async fn copy_in(
    store: &dyn MediaStore,
    source: &MediaSource,
    path: &str,
) -> Result<StoredMedia, String> {
    let bytes = source.read(path)?;
    let key = media_key(path, &bytes);
    let content_type = content_type(&bytes).to_owned();
    let dims = preview::dimensions(&bytes);
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    store
        .put(&key, bytes)
        .await
        .map_err(|e| format!("cannot store it: {e}"))?;
    Ok(StoredMedia {
        filename: name_of_key(&key).to_owned(),
        key,
        size,
        content_type,
        width: dims.map(|d| d.0),
        height: dims.map(|d| d.1),
        title: None,
    })
}

/// One leaf value as stored: media as stored references, text normalized.
fn rewrite(
    attr: &AttributeDef,
    v: &mut AttrValue,
    stored: &BTreeMap<String, StoredMedia>,
) -> Result<(), String> {
    let is_list = matches!(v, AttrValue::List(_) | AttrValue::Items(_));
    match parse_typed(attr, v)? {
        TypedValue::Media(list) => {
            let out: Vec<AttrValue> = list
                .into_iter()
                .map(|m| match m {
                    MediaRef::Path { path, title } => stored
                        .get(&path)
                        .map(|s| StoredMedia { title, ..s.clone() }.to_value())
                        .ok_or_else(|| format!("media path \"{path}\" was not imported")),
                    stored @ MediaRef::Stored(_) => Ok(stored.to_value()),
                })
                .collect::<Result<_, _>>()?;
            *v = one_or_list(out, is_list);
        }
        TypedValue::Text(t) => *v = text::to_value(&text::normalize(&t), None),
        TypedValue::TextWithHeader { header, text: t } => {
            *v = text::to_value(&text::normalize(&t), Some(("header", &header)));
        }
        _ => {}
    }
    Ok(())
}

fn one_or_list(mut list: Vec<AttrValue>, is_list: bool) -> AttrValue {
    if !is_list && list.len() == 1 {
        list.remove(0)
    } else {
        AttrValue::Items(list)
    }
}

/// The path an export writes for a stored key (`media/<hash>/<name>`): importing it again
/// gives the same key.
pub(crate) fn export_path(key: &str) -> String {
    format!("media/{key}")
}

/// Turns a stored definition back into one that imports: stored media become `media/<key>`
/// paths. Returns the keys named, so the caller can copy the files.
pub(crate) fn unprepare(def: &mut ProjectDefinition) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    let _ = walk_values(def, &mut |_, attr, v| {
        for_each_leaf(attr, v, &mut |a, leaf| {
            if a.kind.is_media() {
                back_to_paths(leaf, &mut keys);
            }
            Ok(())
        })
    });
    for p in def
        .locales
        .iter_mut()
        .map(|l| &mut l.image)
        .chain(def.products.iter_mut().map(|p| &mut p.preview_image))
    {
        if let Some(key) = p.as_mut() {
            keys.insert(key.clone());
            *key = export_path(key);
        }
    }
    keys
}

fn back_to_paths(v: &mut AttrValue, keys: &mut BTreeSet<String>) {
    match v {
        AttrValue::Items(items) => items.iter_mut().for_each(|i| back_to_paths(i, keys)),
        AttrValue::Table(_) => {
            if let Ok(MediaRef::Stored(m)) = MediaRef::parse(v) {
                keys.insert(m.key.clone());
                *v = MediaRef::Path {
                    path: export_path(&m.key),
                    title: m.title,
                }
                .to_value();
            }
        }
        _ => {}
    }
}

/// Copies the files of `keys` from the store to `<dir>/media/<key>`.
pub(crate) async fn copy_out(
    store: &dyn MediaStore,
    keys: &BTreeSet<String>,
    dir: &Path,
) -> anyhow::Result<()> {
    for key in keys {
        let bytes = store
            .read_all(&ObjectId::original(key))
            .await
            .map_err(|e| anyhow::anyhow!("media {key}: {e}"))?;
        let path = dir.join(export_path(key));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, bytes).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    }
    Ok(())
}
