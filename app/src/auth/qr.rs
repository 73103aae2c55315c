//! QR codes as inline SVG, for scanning a TOTP secret into an authenticator app.

use qrcodegen::{QrCode, QrCodeEcc};

/// An SVG drawing of `text` as a QR code with a 4-module quiet zone, or `None` if the text
/// is too long to encode.
pub fn svg(text: &str) -> Option<String> {
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium).ok()?;
    let border = 4;
    let size = qr.size() + border * 2;
    let mut path = String::new();
    for y in 0..qr.size() {
        for x in 0..qr.size() {
            if qr.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + border, y + border));
            }
        }
    }
    Some(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="200" height="200" shape-rendering="crispEdges" role="img" aria-label="QR code for your authenticator app"><rect width="100%" height="100%" fill="#ffffff"/><path d="{path}" fill="#000000"/></svg>"##
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_drawing_is_an_svg_with_modules() {
        let svg = super::svg("otpauth://totp/x?secret=ABC").expect("encodes");
        assert!(svg.starts_with("<svg"));
        assert!(
            svg.contains("M4,4h1v1h-1z"),
            "the finder pattern starts at the border"
        );
    }
}
