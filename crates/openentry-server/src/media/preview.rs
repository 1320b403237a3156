//! Resized previews of images, made with the `image` crate. Widths are snapped up to a short
//! list, so one image has at most that many previews (each made once, then cached in the
//! store), and nobody can ask for a 50 000-pixel one.

use std::io::Cursor;

use image::{ImageFormat, ImageReader, Limits};

/// The widths previews are made in; a request for another width gets the next one up.
pub(crate) const WIDTHS: [u32; 11] = [64, 128, 256, 320, 480, 640, 800, 1024, 1280, 1600, 2048];

/// The width of the `previewLink` of image values.
pub(crate) const LINK_WIDTH: u32 = 640;

/// Largest image decoded for a preview, in pixels a side and bytes of memory.
const MAX_SIDE: u32 = 16_384;
const MAX_ALLOC: u64 = 512 * 1024 * 1024;

/// The preview width for a requested one: the smallest listed width at least as wide, the
/// largest for anything wider; `None` for 0.
pub(crate) fn snap(width: u32) -> Option<u32> {
    if width == 0 {
        return None;
    }
    Some(
        WIDTHS
            .iter()
            .copied()
            .find(|w| *w >= width)
            .unwrap_or(WIDTHS[WIDTHS.len() - 1]),
    )
}

/// Width and height of an image file; `None` for anything that is not a readable image.
pub(crate) fn dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    reader(bytes)?.into_dimensions().ok()
}

fn reader(bytes: &[u8]) -> Option<ImageReader<Cursor<&[u8]>>> {
    let mut r = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()?;
    r.format()?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    r.limits(limits);
    Some(r)
}

/// A preview of `bytes` `width` pixels wide (height to scale): JPEG for a JPEG, PNG for any
/// other image. `None` when the image is not wider than that (the original is the preview)
/// or is not an image this server can read.
pub(crate) fn make(bytes: &[u8], width: u32) -> Option<Vec<u8>> {
    let r = reader(bytes)?;
    let format = r.format()?;
    let img = r.decode().ok()?;
    if img.width() <= width {
        return None;
    }
    let height = (u64::from(img.height()) * u64::from(width) / u64::from(img.width())).max(1);
    let small = img.thumbnail(width, u32::try_from(height).unwrap_or(u32::MAX));
    let (small, out_format) = if format == ImageFormat::Jpeg {
        (
            image::DynamicImage::ImageRgb8(small.to_rgb8()),
            ImageFormat::Jpeg,
        )
    } else {
        (small, ImageFormat::Png)
    };
    let mut out = Cursor::new(Vec::new());
    small.write_to(&mut out, out_format).ok()?;
    Some(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([x.to_le_bytes()[0], y.to_le_bytes()[0], 90])
        });
        let mut out = Cursor::new(Vec::new());
        image::DynamicImage::ImageRgb8(img)
            .write_to(&mut out, ImageFormat::Png)
            .unwrap();
        out.into_inner()
    }

    #[test]
    fn widths_are_snapped_and_bounded() {
        assert_eq!(snap(0), None);
        assert_eq!(snap(1), Some(64));
        assert_eq!(snap(300), Some(320));
        assert_eq!(snap(640), Some(640));
        assert_eq!(snap(50_000), Some(2048));
    }

    #[test]
    fn previews_keep_the_aspect_and_never_grow() {
        let big = png(800, 400);
        assert_eq!(dimensions(&big), Some((800, 400)));
        let small = make(&big, 320).unwrap();
        assert_eq!(dimensions(&small), Some((320, 160)));
        assert_eq!(make(&big, 1024), None);
        assert_eq!(make(b"not an image", 64), None);
    }
}
