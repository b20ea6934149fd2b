//! QR codes for the signature block: the verification URL of a signed letter as a small PNG.

use crate::error::{BackendError, Result};
use qrcode::{Color, EcLevel, QrCode};

/// Pixels per QR module. The renderer scales the image without smoothing; 2 keeps the edges sharp
/// enough for rasterisers that smooth anyway (zbarimg reads pdftoppm pages from 72 to 300 dpi,
/// which 1 pixel per module fails at 150 dpi), and a smaller image is less to compress per letter.
const SCALE: usize = 2;
/// The quiet zone the QR standard asks for, in modules.
const QUIET: usize = 4;

/// Encodes `text` as a QR code drawn in SVG (one path of unit squares, quiet zone included), for a
/// page to show inline: the enrolment of an authenticator app. `label` is its accessible name.
pub fn qr_svg(text: &str, label: &str) -> Result<String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|e| BackendError::caused("QR encode", e))?;
    let modules = code.width();
    let colors = code.to_colors();
    let side = modules + 2 * QUIET;
    let mut path = String::with_capacity(modules * modules * 4);
    for my in 0..modules {
        for mx in 0..modules {
            if colors[my * modules + mx] == Color::Dark {
                path.push_str(&format!("M{} {}h1v1h-1z", mx + QUIET, my + QUIET));
            }
        }
    }
    let label = label.replace('&', "&amp;").replace('<', "&lt;").replace('"', "&quot;");
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {side} {side}\" role=\"img\" aria-label=\"{label}\" shape-rendering=\"crispEdges\"><rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
    ))
}

/// Encodes `text` (a URL) as a QR code (error correction M: survives a stamp or a fold) and returns
/// an 8-bit greyscale PNG, black modules on white with the quiet zone included.
pub fn qr_png(text: &str) -> Result<Vec<u8>> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|e| BackendError::caused("QR encode", e))?;
    let modules = code.width();
    let colors = code.to_colors();
    let side = (modules + 2 * QUIET) * SCALE;
    let mut pixels = vec![255u8; side * side];
    for my in 0..modules {
        for mx in 0..modules {
            if colors[my * modules + mx] != Color::Dark {
                continue;
            }
            for dy in 0..SCALE {
                let row = ((my + QUIET) * SCALE + dy) * side;
                let start = row + (mx + QUIET) * SCALE;
                pixels[start..start + SCALE].fill(0);
            }
        }
    }
    let mut out = Vec::with_capacity(2048);
    {
        let mut enc = png::Encoder::new(&mut out, side as u32, side as u32);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().map_err(|e| BackendError::caused("QR PNG", e))?;
        w.write_image_data(&pixels).map_err(|e| BackendError::caused("QR PNG", e))?;
        w.finish().map_err(|e| BackendError::caused("QR PNG", e))?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn png_of_a_url() {
        let png =
            super::qr_png("https://eoffice.example.go.id/verifikasi/AbCdEfGhIjKlMnOpQrStUvWx")
                .unwrap();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert!(png.len() < 4096, "{} bytes", png.len());
    }
}
