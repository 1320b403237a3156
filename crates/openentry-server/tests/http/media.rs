//! Attribute values of every type on a product, and the media store through real HTTP: import
//! copies the files in, `/media/…` serves them with their type, ranges, caching and previews,
//! and an import naming a path outside the project is refused.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use openentry_domain::clock::SystemClock;
use openentry_server::media::local::LocalDir;
use openentry_server::{App, ProjectSource};
use openentry_testkit::{TestServer, test_config};
use serde_json::{Value, json};

const FIXTURE: &str = include_str!("fixtures/attributes.toml");

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([x.to_le_bytes()[0], y.to_le_bytes()[0], 90])
    });
    let mut out = Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, _| image::Rgb([x.to_le_bytes()[0], 40, 200]));
    let mut out = Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .unwrap();
    out.into_inner()
}

/// A project directory with the fixture and its media files.
fn project_dir(definition: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let media = dir.path().join("media");
    std::fs::create_dir_all(&media).unwrap();
    std::fs::write(media.join("bag.png"), png(800, 400)).unwrap();
    std::fs::write(media.join("sale.png"), png(24, 24)).unwrap();
    std::fs::write(media.join("photo.jpg"), jpeg(1200, 600)).unwrap();
    std::fs::write(media.join("manual.pdf"), b"%PDF-1.4\n% a manual\n").unwrap();
    let file = dir.path().join("shop.toml");
    std::fs::write(&file, definition).unwrap();
    (dir, file)
}

async fn server() -> (TestServer, tempfile::TempDir) {
    let (dir, file) = project_dir(FIXTURE);
    let s = TestServer::spawn_with(|_| {}, ProjectSource::File(file)).await;
    (s, dir)
}

async fn product(s: &TestServer, lang: &str) -> Value {
    let r = s
        .get(&format!("/api/content/products/1?langCode={lang}"), None)
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    r.body
}

#[tokio::test]
async fn every_attribute_type_has_the_platforms_shape_on_products() {
    let (s, _dir) = server().await;
    let p = product(&s, "ar_AE").await;
    let v = |m: &str| p["attributeValues"][m]["value"].clone();
    assert_eq!(p["price"], json!(19.99));
    assert_eq!(v("price"), json!(19.99));
    assert_eq!(v("currency"), "USD");
    assert_eq!(v("s"), "Hello");
    assert_eq!(
        (v("n"), v("f"), v("r")),
        (json!(3), json!(0.1), json!(-2.5))
    );
    let t = v("t");
    assert_eq!(
        t["htmlValue"],
        "<p>Hi <b>there</b><a rel=\"noopener noreferrer\">x</a></p>"
    );
    assert_eq!(t["plainValue"], "Hi therex");
    assert_eq!(t["mdValue"], "");
    let th = v("th");
    assert_eq!(th["header"], "Care");
    assert_eq!(th["htmlValue"], "<p><strong>Wipe</strong> it</p>\n");
    assert_eq!(th["mdValue"], "**Wipe** it");
    assert_media(&s, &p);
    assert_eq!(
        v("d"),
        json!({"fullDate": "2026-11-30T00:00:00.000Z", "formattedValue": "30-11-2026", "formatString": "DD-MM-YYYY"})
    );
    assert_eq!(
        v("dt"),
        json!({"fullDate": "2026-11-30T07:05:00.000Z", "formattedValue": "30-11-2026 10:05", "formatString": "DD-MM-YYYY HH:mm"})
    );
    assert_eq!(v("tm")["formattedValue"], "09:30");
    let badge = v("badge");
    assert_eq!(
        badge[0]["title"], "Sale",
        "falls back to the default locale"
    );
    assert_eq!(badge[0]["extended"]["type"], "image");
    assert_eq!(badge[0]["extended"]["value"]["contentType"], "image/png");
    assert_eq!(
        badge[1],
        json!({"title": "جديد", "value": "new", "position": 1, "extended": {"type": "string", "value": "#e11"}})
    );
    assert_eq!(v("size"), "2");
    assert_eq!(v("rel"), json!(["bags", "shoes"]));
    assert_eq!(v("j"), r#"{"a": [1, 2]}"#);
    assert_eq!(
        v("hours"),
        json!([
            ["10:00", "18:00"],
            ["2026-12-01T09:00:00.000Z", "2026-12-01T12:00:00.000Z"]
        ])
    );
    assert_eq!(v("b"), true);
    assert_eq!(p["attributeValues"]["b"]["isIcon"], true);
    let w = &p["attributeValues"]["w"];
    assert_eq!(w["value"], json!(1.5));
    assert_eq!(w["additionalFields"][0]["marker"], "unit");
    assert_eq!(
        w["additionalFields"][0]["value"], "kg",
        "the field's own value"
    );
    assert_eq!(
        w["additionalFields"][1]["value"], "net",
        "the product's value"
    );
}

/// `image` is one object on products, `groupOfImages` always an array, `file` an object.
fn assert_media(s: &TestServer, p: &Value) {
    let v = |m: &str| p["attributeValues"][m]["value"].clone();
    let pic = v("pic");
    assert!(pic.is_object(), "{pic}");
    assert_eq!(pic["filename"], "bag.png");
    assert_eq!(pic["contentType"], "image/png");
    assert_eq!(pic["title"], "A bag");
    assert_eq!(
        (pic["width"].clone(), pic["height"].clone()),
        (json!(800), json!(400))
    );
    let link = pic["downloadLink"].as_str().unwrap();
    assert!(link.starts_with(&format!("{}/media/", s.url)), "{link}");
    assert_eq!(pic["previewLink"], format!("{link}?w=640"));
    assert_eq!(p["attributeValues"]["pic"]["isProductPreview"], true);
    // groupOfImages: always an array; file: an object.
    let gal = v("gal");
    assert_eq!(gal.as_array().map(Vec::len), Some(2));
    assert_eq!(gal[1]["contentType"], "image/jpeg");
    let doc = v("doc");
    assert_eq!(doc["filename"], "manual.pdf");
    assert_eq!(doc["contentType"], "application/pdf");
    assert_eq!(doc["previewLink"], "");
}

#[tokio::test]
async fn list_items_are_in_the_attribute_set() {
    let (s, _dir) = server().await;
    let r = s
        .get(
            "/api/content/attributes-sets/everything/attributes/badge?langCode=ar_AE",
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["type"], "list");
    assert_eq!(r.body["listTitles"][0]["title"], "جديد");
    assert_eq!(
        r.body["listTitles"][1]["extended"]["value"]["filename"],
        "sale.png"
    );
}

async fn get(s: &TestServer, url: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut req = s.http.get(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.send().await.unwrap()
}

fn header(r: &reqwest::Response, name: &str) -> String {
    r.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn imported_media_download_with_type_ranges_and_caching() {
    let (s, dir) = server().await;
    let p = product(&s, "en_US").await;
    let link = p["attributeValues"]["pic"]["value"]["downloadLink"]
        .as_str()
        .unwrap()
        .to_owned();
    let original = std::fs::read(dir.path().join("media/bag.png")).unwrap();

    let r = get(&s, &link, &[]).await;
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "content-type"), "image/png");
    assert_eq!(
        header(&r, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(header(&r, "accept-ranges"), "bytes");
    assert_eq!(header(&r, "x-content-type-options"), "nosniff");
    let etag = header(&r, "etag");
    let modified = header(&r, "last-modified");
    assert!(etag.starts_with('"') && !modified.is_empty());
    assert_eq!(r.bytes().await.unwrap().to_vec(), original);

    let head = s.http.head(&link).send().await.unwrap();
    assert_eq!(head.status(), 200);
    assert_eq!(header(&head, "content-length"), original.len().to_string());
    assert!(head.bytes().await.unwrap().is_empty());

    let part = get(&s, &link, &[("range", "bytes=8-15")]).await;
    assert_eq!(part.status(), 206);
    assert_eq!(
        header(&part, "content-range"),
        format!("bytes 8-15/{}", original.len())
    );
    assert_eq!(
        part.bytes().await.unwrap().to_vec(),
        original[8..16].to_vec()
    );
    let tail = get(&s, &link, &[("range", "bytes=-4")]).await;
    assert_eq!(tail.status(), 206);
    assert_eq!(
        tail.bytes().await.unwrap().to_vec(),
        original[original.len() - 4..].to_vec()
    );
    let beyond = get(
        &s,
        &link,
        &[("range", &format!("bytes={}-", original.len()))],
    )
    .await;
    assert_eq!(beyond.status(), 416);
    assert_eq!(
        header(&beyond, "content-range"),
        format!("bytes */{}", original.len())
    );
    let stale = get(
        &s,
        &link,
        &[("range", "bytes=0-3"), ("if-range", "\"other\"")],
    )
    .await;
    assert_eq!(stale.status(), 200, "a stale If-Range gets the whole file");

    assert_eq!(
        get(&s, &link, &[("if-none-match", &etag)]).await.status(),
        304
    );
    assert_eq!(
        get(&s, &link, &[("if-modified-since", &modified)])
            .await
            .status(),
        304
    );

    let pdf = p["attributeValues"]["doc"]["value"]["downloadLink"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = get(&s, &pdf, &[]).await;
    assert_eq!(header(&r, "content-type"), "application/pdf");
}

#[tokio::test]
async fn previews_are_resized_bounded_and_cached() {
    let (s, _dir) = server().await;
    let p = product(&s, "en_US").await;
    let pic = &p["attributeValues"]["pic"]["value"];
    let preview = get(&s, pic["previewLink"].as_str().unwrap(), &[]).await;
    assert_eq!(preview.status(), 200);
    assert_eq!(header(&preview, "content-type"), "image/png");
    assert!(header(&preview, "etag").ends_with("-w640\""));
    let bytes = preview.bytes().await.unwrap();
    let img = image::load_from_memory(&bytes).unwrap();
    assert_eq!((img.width(), img.height()), (640, 320));
    let cached = s.media_dir.clone().unwrap().join("previews");
    assert!(
        walk(&cached).iter().any(|f| f.ends_with("640-bag.png")),
        "{cached:?}"
    );

    let link = pic["downloadLink"].as_str().unwrap();
    let odd = get(&s, &format!("{link}?w=300"), &[])
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(
        image::load_from_memory(&odd).unwrap().width(),
        320,
        "snapped up to a listed width"
    );
    let huge = get(&s, &format!("{link}?w=50000"), &[]).await;
    assert_eq!(huge.status(), 200);
    let huge = huge.bytes().await.unwrap();
    assert_eq!(
        image::load_from_memory(&huge).unwrap().width(),
        800,
        "never larger than the original"
    );
    assert_eq!(get(&s, &format!("{link}?w=0"), &[]).await.status(), 400);

    let jpeg = p["attributeValues"]["gal"]["value"][1]["downloadLink"]
        .as_str()
        .unwrap();
    let r = get(&s, &format!("{jpeg}?w=128"), &[]).await;
    assert_eq!(header(&r, "content-type"), "image/jpeg");
    let img = image::load_from_memory(&r.bytes().await.unwrap()).unwrap();
    assert_eq!((img.width(), img.height()), (128, 64));
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[tokio::test]
async fn only_store_keys_are_served() {
    let (s, _dir) = server().await;
    for path in [
        "/media/0123456789abcdef0123456789abcdef/bag.png",
        "/media/..%2F..%2Fetc/passwd",
        "/media/tmp/x",
        "/media/previews/x",
        "/media/0123456789abcdef0123456789abcdef/.hidden",
    ] {
        let r = get(&s, &format!("{}{path}", s.url), &[]).await;
        assert_eq!(r.status(), 404, "{path}");
    }
}

#[tokio::test]
async fn importing_again_changes_nothing_and_copies_nothing_new() {
    let (s, dir) = server().await;
    let media_dir = s.media_dir.clone().unwrap();
    let before = walk(&media_dir).len();
    let mut config = test_config(&s.database_url);
    config.media_dir = Some(media_dir.clone());
    let db = openentry_server::open_database(&config).await.unwrap();
    let store = LocalDir::open(&media_dir).unwrap();
    let report = openentry_server::project::import_file(
        &db,
        &store,
        &SystemClock,
        &dir.path().join("shop.toml"),
    )
    .await
    .unwrap();
    assert!(!report.changed, "{report:?}");
    assert_eq!(walk(&media_dir).len(), before);
    db.close().await;
}

/// Builds a server on `definition` in a project directory; the import's error, if any.
async fn import_error(definition: &str, prepare: impl FnOnce(&Path)) -> String {
    let (dir, file) = project_dir(definition);
    prepare(dir.path());
    let db_dir = tempfile::tempdir().unwrap();
    let mut config = test_config(&format!(
        "sqlite://{}",
        db_dir.path().join("t.db").display()
    ));
    config.media_dir = Some(db_dir.path().join("media"));
    match App::build(config, Arc::new(SystemClock), ProjectSource::File(file)).await {
        Ok(_) => String::new(),
        Err(e) => e.to_string(),
    }
}

#[tokio::test]
async fn paths_leaving_the_project_are_refused_at_import() {
    for (path, why) in [
        ("../../etc/passwd", "leaves or wanders its folder"),
        ("/etc/passwd", "is absolute"),
        ("media\\\\bag.png", "has a backslash"),
        ("media/bag.png\\u0000", "has a control character"),
        ("media/missing.png", "cannot read it"),
    ] {
        let bad = FIXTURE.replacen(
            "doc = \"media/manual.pdf\"",
            &format!("doc = \"{path}\""),
            1,
        );
        let e = import_error(&bad, |_| {}).await;
        assert!(
            e.contains("shop.toml: products[0].values.doc: media path"),
            "{path}: {e}"
        );
        assert!(e.contains(why), "{path}: {e}");
    }
    let linked = FIXTURE.replacen(
        "doc = \"media/manual.pdf\"",
        "doc = \"media/escape.pdf\"",
        1,
    );
    let e = import_error(&linked, |dir| {
        std::os::unix::fs::symlink("/etc/passwd", dir.join("media/escape.pdf")).unwrap();
    })
    .await;
    assert!(
        e.contains("products[0].values.doc") && e.contains("outside the project directory"),
        "{e}"
    );
    let flag = FIXTURE.replacen(
        "preview_image = \"media/bag.png\"",
        "preview_image = \"../bag.png\"",
        1,
    );
    let e = import_error(&flag, |_| {}).await;
    assert!(
        e.contains("products[0].preview_image: media path \"../bag.png\""),
        "{e}"
    );
}
