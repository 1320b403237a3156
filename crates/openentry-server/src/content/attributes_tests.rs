//! The renderer on content entities (pages, blocks, templates): images as arrays, per-locale
//! values over the entity's own, text sanitized on import. (Products: tests/http/media.rs.)

use std::io::Cursor;

use serde_json::json;

use super::*;
use crate::media::local::LocalDir;
use crate::media::source::MediaSource;

const FIXTURE: &str = include_str!("../../tests/http/fixtures/attributes.toml");

fn png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image::RgbImage::new(w, h))
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

/// The fixture imported (media copied, texts sanitized) and served from memory.
async fn project() -> (Project, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let media = dir.path().join("project/media");
    std::fs::create_dir_all(&media).unwrap();
    for (name, bytes) in [
        ("bag.png", png(800, 400)),
        ("sale.png", png(24, 24)),
        ("photo.jpg", png(30, 20)),
        ("manual.pdf", b"%PDF-1.4\n".to_vec()),
    ] {
        std::fs::write(media.join(name), bytes).unwrap();
    }
    let mut def = crate::project::parse_definition("t.toml", FIXTURE).unwrap();
    let store = LocalDir::open(&dir.path().join("store")).unwrap();
    let source = MediaSource::Dir(dir.path().join("project"));
    crate::media::import::prepare(&mut def, &store, &source)
        .await
        .unwrap();
    (Project::for_tests(def, "https://shop.example"), dir)
}

#[tokio::test]
async fn pages_get_images_as_arrays_and_localized_values() {
    let (project, _dir) = project().await;
    let page = project.def.page("home").unwrap();
    let set = page.attribute_set.as_deref();
    let (values, localized) = (&page.values, &page.localized_values);
    let ar = render(&project, set, values, localized, "ar_AE", ImageShape::Array).unwrap();
    assert_eq!(ar["s"]["value"], "صفحة", "the locale's own value");
    assert_eq!(ar["s"]["type"], "string");
    assert_eq!(ar["s"]["position"], 3);
    let en = render(&project, set, values, localized, "en_US", ImageShape::Array).unwrap();
    assert_eq!(en["s"]["value"], "Page");
    let pic = &en["pic"]["value"];
    assert!(pic.is_array(), "image is an array on pages: {pic}");
    assert_eq!(pic[0]["filename"], "bag.png");
    let link = pic[0]["downloadLink"].as_str().unwrap();
    assert!(link.starts_with("https://shop.example/media/"), "{link}");
    assert!(link.ends_with("/bag.png"), "{link}");
    assert_eq!(pic[0]["previewLink"], format!("{link}?w=640"));
    assert_eq!(en["gal"]["value"].as_array().map(Vec::len), Some(1));
    let t = &en["t"]["value"];
    assert_eq!(t["htmlValue"], "<h1>Title</h1>\n<p>Body </p>\n");
    assert_eq!(t["mdValue"], "# Title\n\nBody <script>x()</script>");
    assert_eq!(t["params"]["editorMode"], "md");
    assert_eq!(
        en["badge"]["value"],
        json!([{"title": "New", "value": "new", "position": 1, "extended": {"type": "string", "value": "#e11"}}])
    );
    assert!(!en.contains_key("n"), "no value, no entry");
    // Products get one object for one image; the same value on a page is an array.
    let one = render(
        &project,
        set,
        values,
        localized,
        "en_US",
        ImageShape::Object,
    )
    .unwrap();
    assert!(one["pic"]["value"].is_object());
    assert!(
        one["gal"]["value"].is_array(),
        "groupOfImages is always an array"
    );
}

#[tokio::test]
async fn page_content_is_sanitized_on_import() {
    let (project, _dir) = project().await;
    let page = project.def.page("home").unwrap();
    assert_eq!(page.content["en_US"], "<p>Welcome<img src=\"x\"></p>");
}

#[tokio::test]
async fn preview_images_become_pictures() {
    let (project, _dir) = project().await;
    let key = project
        .def
        .product(1)
        .and_then(|p| p.preview_image.clone())
        .unwrap();
    let pic = picture(&project, &key);
    assert_eq!(pic["filename"], "bag.png");
    assert_eq!(
        pic["downloadLink"],
        format!("https://shop.example/media/{key}")
    );
    assert_eq!(
        pic["previewLink"],
        format!("https://shop.example/media/{key}?w=640")
    );
    let legacy = picture(&project, "https://cdn.example/bag.png");
    assert_eq!(legacy["downloadLink"], "https://cdn.example/bag.png");
}
