//! A brand image as uploaded becomes a PNG the organisation's pages can show safely: PNG,
//! JPEG and WebP are decoded under limits (a file claiming more than 4096 pixels a side
//! is refused before anything is allocated) and written again, which drops whatever else
//! the file carried; SVG is drawn, so its scripts, links, fonts and embedded files never
//! reach a browser. Either way the picture is scaled to fit its use.

use std::io::Cursor;

use super::model::{BrandImage, MAX_IMAGE_BYTES, MAX_IMAGE_SIDE, MAX_SVG_BYTES};
use crate::error::AppError;

/// A picture ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    pub png: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// What the file is, by its first bytes (never by its name or declared type).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Png,
    Jpeg,
    Webp,
    Svg,
}

fn sniff(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(Format::Png);
    }
    if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        return Some(Format::Jpeg);
    }
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Some(Format::Webp);
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    let xml_like = head.starts_with("<?xml") || head.starts_with("<svg") || head.starts_with("<!");
    (xml_like && head.contains("<svg")).then_some(Format::Svg)
}

fn refused(message: impl Into<String>) -> AppError {
    AppError::invalid("file", message)
}

/// The uploaded `bytes` as a PNG for `kind`, or why not (under the field `file`).
pub fn prepare(bytes: &[u8], kind: BrandImage) -> Result<Picture, AppError> {
    if bytes.is_empty() {
        return Err(refused("Choose an image file."));
    }
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(refused(format!(
            "The file is {} KB; images up to {} KB are taken.",
            bytes.len() / 1024,
            MAX_IMAGE_BYTES / 1024
        )));
    }
    match sniff(bytes) {
        Some(Format::Svg) => draw_svg(bytes, kind),
        Some(Format::Png) => raster(bytes, image::ImageFormat::Png, kind),
        Some(Format::Jpeg) => raster(bytes, image::ImageFormat::Jpeg, kind),
        Some(Format::Webp) => raster(bytes, image::ImageFormat::WebP, kind),
        None => Err(refused(
            "This is not a PNG, JPEG, WebP or SVG image (whatever its name says).",
        )),
    }
}

fn raster(bytes: &[u8], format: image::ImageFormat, kind: BrandImage) -> Result<Picture, AppError> {
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_SIDE);
    limits.max_image_height = Some(MAX_IMAGE_SIDE);
    limits.max_alloc = Some(64 * 1024 * 1024);
    reader.limits(limits);
    let picture = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => refused(format!(
            "The image is larger than {MAX_IMAGE_SIDE} × {MAX_IMAGE_SIDE} pixels; make it smaller first."
        )),
        _ => refused("The image could not be read: the file is damaged or incomplete."),
    })?;
    if picture.width() == 0 || picture.height() == 0 {
        return Err(refused("The image has no pixels."));
    }
    let max = kind.max_side();
    let picture = if picture.width() > max || picture.height() > max {
        picture.resize(max, max, image::imageops::FilterType::Triangle)
    } else {
        picture
    };
    encode(picture.to_rgba8())
}

fn encode(pixels: image::RgbaImage) -> Result<Picture, AppError> {
    let (width, height) = pixels.dimensions();
    let mut png = Vec::new();
    image::DynamicImage::ImageRgba8(pixels)
        .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .map_err(|e| AppError::internal(format!("writing a PNG failed: {e}")))?;
    Ok(Picture { png, width, height })
}

/// Elements an SVG may hold at most.
const MAX_SVG_NODES: u32 = 20_000;
/// `<use>` elements at most.
const MAX_SVG_USES: usize = 200;

/// Refuses what makes drawing an SVG cost far more than its size: patterns and filters
/// (their buffers are sized by the file, not by the picture), and `<use>` of something
/// that itself holds a `<use>` (nesting multiplies: ten uses of ten uses of ten…).
fn guard(xml: &resvg::usvg::roxmltree::Document<'_>) -> Result<(), AppError> {
    let mut uses = 0;
    let mut holding_use: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for node in xml.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        if matches!(name, "pattern" | "filter" | "foreignObject") {
            return Err(refused(format!(
                "SVG {name} elements are not taken. Export the logo as PNG, or as SVG without them."
            )));
        }
        if name == "use" {
            uses += 1;
            if let Some(id) = node.ancestors().find_map(|a| a.attribute("id")) {
                holding_use.insert(id);
            }
        }
    }
    if uses > MAX_SVG_USES {
        return Err(refused(format!(
            "The SVG repeats shapes more than {MAX_SVG_USES} times; export it as PNG."
        )));
    }
    let xlink = "http://www.w3.org/1999/xlink";
    for node in xml.descendants().filter(|n| n.tag_name().name() == "use") {
        let target = node
            .attribute("href")
            .or_else(|| node.attribute((xlink, "href")))
            .unwrap_or_default()
            .trim_start_matches('#');
        if holding_use.contains(target) {
            return Err(refused(
                "The SVG nests repeated shapes inside repeated shapes; export it as PNG.",
            ));
        }
    }
    Ok(())
}

fn draw_svg(bytes: &[u8], kind: BrandImage) -> Result<Picture, AppError> {
    use resvg::{tiny_skia, usvg};
    if bytes.len() > MAX_SVG_BYTES {
        return Err(refused(format!(
            "The SVG is {} KB; SVG files up to {} KB are taken.",
            bytes.len() / 1024,
            MAX_SVG_BYTES / 1024
        )));
    }
    let options = usvg::Options {
        // Nothing outside the file is read: no embedded or linked images.
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    let text = std::str::from_utf8(bytes).map_err(|_| refused("The SVG is not UTF-8 text."))?;
    // No DTD (so no entity expansion), a bounded number of nodes, and none of what can
    // make drawing cost far more than the file's size (see `guard`).
    let xml = usvg::roxmltree::Document::parse_with_options(
        text,
        usvg::roxmltree::ParsingOptions {
            allow_dtd: false,
            nodes_limit: MAX_SVG_NODES,
            ..Default::default()
        },
    )
    .map_err(|e| refused(format!("The SVG could not be read ({e}).")))?;
    guard(&xml)?;
    let tree = usvg::Tree::from_xmltree(&xml, &options)
        .map_err(|e| refused(format!("The SVG could not be read ({e}).")))?;
    let size = tree.size();
    let longest = size.width().max(size.height());
    if !longest.is_finite() || longest <= 0.0 {
        return Err(refused("The SVG has no size."));
    }
    let scale = kind.max_side() as f32 / longest;
    let width = ((size.width() * scale).round() as u32).max(1);
    let height = ((size.height() * scale).round() as u32).max(1);
    let mut canvas =
        tiny_skia::Pixmap::new(width, height).ok_or_else(|| refused("The SVG has no size."))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut canvas.as_mut(),
    );
    if canvas.pixels().iter().all(|p| p.alpha() == 0) {
        return Err(refused(
            "Nothing in this SVG could be drawn. Text must be converted to outlines (shapes) first.",
        ));
    }
    let pixels = image::RgbaImage::from_fn(width, height, |x, y| {
        let p = canvas
            .pixel(x, y)
            .map(|p| p.demultiply())
            .unwrap_or_else(|| tiny_skia::ColorU8::from_rgba(0, 0, 0, 0));
        image::Rgba([p.red(), p.green(), p.blue(), p.alpha()])
    });
    encode(pixels)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut out = Vec::new();
        image::DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(
            width,
            height,
            image::Rgba([200, 30, 60, 255]),
        ))
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
        out
    }

    /// PNG's chunk checksum, so a forged header reads as valid.
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xffff_ffffu32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xedb8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    fn message(e: AppError) -> String {
        e.field("file")
            .and_then(|m| m.first().cloned())
            .unwrap_or_default()
    }

    #[test]
    fn pictures_are_scaled_to_fit_and_written_as_png() {
        let logo = prepare(&png(1024, 256), BrandImage::Logo).unwrap();
        assert_eq!((logo.width, logo.height), (512, 128));
        assert!(logo.png.starts_with(b"\x89PNG"));
        let icon = prepare(&png(32, 32), BrandImage::Favicon).unwrap();
        assert_eq!(
            (icon.width, icon.height),
            (32, 32),
            "small ones stay as they are"
        );
    }

    #[test]
    fn svg_is_drawn_and_its_script_left_behind() {
        let svg =
            br##"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" onload="alert(1)">
            <script>alert(document.cookie)</script>
            <rect width="40" height="20" fill="#e11d48"/>
            <image href="file:///etc/passwd" width="10" height="10"/>
        </svg>"##;
        let drawn = prepare(svg, BrandImage::Logo).unwrap();
        assert_eq!((drawn.width, drawn.height), (512, 256));
        assert!(drawn.png.starts_with(b"\x89PNG"));
        assert!(!drawn.png.windows(6).any(|w| w == b"script"));
        let bomb = br#"<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>"#;
        assert!(
            message(prepare(bomb, BrandImage::Logo).unwrap_err()).contains("could not be read")
        );
        let pattern = br#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><pattern id="p" width="100000" height="100000"/><rect width="10" height="10" fill="url(#p)"/></svg>"#;
        assert!(message(prepare(pattern, BrandImage::Logo).unwrap_err()).contains("pattern"));
        let nested = br##"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><g id="a"><rect width="1" height="1"/></g><g id="b"><use href="#a"/><use href="#a"/></g><use href="#b"/></svg>"##;
        assert!(message(prepare(nested, BrandImage::Logo).unwrap_err()).contains("nests"));
        let text_only = br#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><text y="10">Acme</text></svg>"#;
        assert!(message(prepare(text_only, BrandImage::Logo).unwrap_err()).contains("outlines"));
    }

    #[test]
    fn hostile_files_are_refused_with_a_reason() {
        assert!(
            message(prepare(b"GIF89a....", BrandImage::Logo).unwrap_err()).contains("not a PNG")
        );
        assert!(
            message(prepare(b"%PDF-1.7 <svg", BrandImage::Logo).unwrap_err()).contains("not a PNG")
        );
        let big = vec![0u8; MAX_IMAGE_BYTES + 1];
        assert!(message(prepare(&big, BrandImage::Logo).unwrap_err()).contains("up to 2048 KB"));
        // A bomb: a valid PNG header claiming 100,000 × 100,000 pixels.
        let mut bomb = png(1, 1);
        bomb[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        let crc = crc32(&bomb[12..29]);
        bomb[29..33].copy_from_slice(&crc.to_be_bytes());
        let refused = message(prepare(&bomb, BrandImage::Logo).unwrap_err());
        assert!(refused.contains("larger than 4096"), "{refused}");
        let mut cut = png(64, 64);
        cut.truncate(cut.len() / 2);
        assert!(
            message(prepare(&cut, BrandImage::Logo).unwrap_err()).contains("could not be read")
        );
    }
}
