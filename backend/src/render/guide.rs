//! The printable user guide of one role: a title page with the contents, then one page per page of
//! the app with its help text (what it is for, the steps, the common mistakes) and a screenshot of
//! it. The texts are the in-app help panels' (`domain::help`), so the guide and the panels never
//! disagree; the screenshots come from the browser tests (see `crate::help`).

use super::disposition::{NOTE_SIZE, footer_lines, write_pages};
use super::{
    Align, CM, CONTENT_W, LINE_FACTOR, Layout, MARGIN_BOTTOM, MARGIN_LEFT, Op, PAGE_H, RIGHT,
    Style, baseline_offset, fit, load_image, title, wrap,
};
use crate::error::Result;

/// Everything printed in a guide, already in the reader's language.
#[derive(Clone, Debug, Default)]
pub struct Guide {
    /// e.g. "PANDUAN PENGGUNA E-OFFICE".
    pub title: String,
    /// e.g. "Untuk: Staf".
    pub subtitle: String,
    pub intro: Vec<String>,
    pub sections: Vec<GuideSection>,
    pub labels: GuideLabels,
    /// In every page's footer.
    pub printed_note: String,
}

#[derive(Clone, Debug, Default)]
pub struct GuideLabels {
    /// "Isi panduan"
    pub contents: String,
    /// "Langkah-langkah"
    pub steps: String,
    /// "Kesalahan yang sering terjadi"
    pub mistakes: String,
    /// "Gambar"
    pub figure: String,
}

#[derive(Clone, Debug, Default)]
pub struct GuideSection {
    pub title: String,
    pub purpose: String,
    pub steps: Vec<String>,
    pub mistakes: Vec<String>,
    /// The page's screenshot, PNG or JPEG; none when the tests have not taken it.
    pub screenshot: Option<Vec<u8>>,
}

const SIZE: f32 = 10.5;
const HEAD_SIZE: f32 = 14.0;
const SHOT_MAX_H: f32 = 10.0 * CM;
const LIST_INDENT: f32 = 0.7 * CM;

fn paragraph(l: &mut Layout, text: &str, style: Style, size: f32) {
    let lines = wrap(&[(style, text)], size, CONTENT_W, CONTENT_W);
    l.lines(&lines, MARGIN_LEFT, CONTENT_W, size, Align::Left);
}

/// A numbered or bulleted list whose items wrap under their own text.
fn list(l: &mut Layout, items: &[String], numbered: bool) {
    let line_h = SIZE * LINE_FACTOR;
    for (i, item) in items.iter().enumerate() {
        let mark = if numbered { format!("{}.", i + 1) } else { "\u{2022}".to_string() };
        // The mark and the item's first line stay on one page.
        l.ensure(line_h);
        let baseline = l.y + baseline_offset(SIZE, line_h);
        l.text(MARGIN_LEFT + 0.15 * CM, baseline, Style::Regular, SIZE, &mark);
        let x = MARGIN_LEFT + LIST_INDENT;
        l.hanging(&[(Style::Regular, item)], SIZE, x, x, RIGHT, Align::Left);
    }
}

fn section(l: &mut Layout, n: usize, s: &GuideSection, labels: &GuideLabels) -> Result<()> {
    paragraph(l, &format!("{n}. {}", s.title), Style::Bold, HEAD_SIZE);
    l.gap(0.2 * CM);
    paragraph(l, &s.purpose, Style::Regular, SIZE);
    for (label, items, numbered) in
        [(&labels.steps, &s.steps, true), (&labels.mistakes, &s.mistakes, false)]
    {
        if items.is_empty() {
            continue;
        }
        l.gap(0.3 * CM);
        // A list's heading never ends a page alone.
        l.ensure(3.0 * SIZE * LINE_FACTOR);
        paragraph(l, label, Style::Bold, SIZE);
        list(l, items, numbered);
    }
    if let Some(bytes) = &s.screenshot {
        let image = load_image(bytes, "gambar layar panduan", true)?;
        let (w, h) = fit(&image, CONTENT_W, SHOT_MAX_H);
        let caption_h = NOTE_SIZE * LINE_FACTOR;
        l.gap(0.4 * CM);
        l.ensure(h + caption_h + 0.2 * CM);
        let (x, y) = (MARGIN_LEFT + (CONTENT_W - w) / 2.0, l.y);
        l.page().ops.push(Op::Image { image, x, y, w, h });
        // A thin frame: a white page on a white sheet still shows where it ends.
        for (x1, y1, x2, y2) in
            [(x, y, x + w, y), (x + w, y, x + w, y + h), (x + w, y + h, x, y + h), (x, y + h, x, y)]
        {
            l.page().ops.push(Op::Line { x1, y1, x2, y2, width: 0.5 });
        }
        l.y += h + 0.15 * CM;
        let caption = format!("{} {n}. {}", labels.figure, s.title);
        let lines = wrap(&[(Style::Italic, &caption)], NOTE_SIZE, CONTENT_W, CONTENT_W);
        l.lines(&lines, MARGIN_LEFT, CONTENT_W, NOTE_SIZE, Align::Center);
    }
    Ok(())
}

/// Renders a guide to PDF bytes (A4, fonts embedded).
///
/// Errors: `BackendError::Invalid` when a screenshot is not a PNG or JPEG; `Internal` if the PDF
/// cannot be written.
pub fn render_guide(g: &Guide) -> Result<Vec<u8>> {
    let footer = footer_lines(&g.printed_note);
    let footer_extra = footer.len().saturating_sub(1) as f32 * NOTE_SIZE * LINE_FACTOR;
    let mut l = Layout::new(PAGE_H - MARGIN_BOTTOM - footer_extra);
    l.gap(2.0 * CM);
    title(&mut l, &g.title);
    let sub = wrap(&[(Style::Bold, &g.subtitle)], HEAD_SIZE, CONTENT_W, CONTENT_W);
    l.lines(&sub, MARGIN_LEFT, CONTENT_W, HEAD_SIZE, Align::Center);
    l.gap(0.8 * CM);
    for p in &g.intro {
        let lines = wrap(&[(Style::Regular, p)], SIZE, CONTENT_W, CONTENT_W);
        l.lines(&lines, MARGIN_LEFT, CONTENT_W, SIZE, Align::Justify);
        l.gap(0.25 * CM);
    }
    if !g.sections.is_empty() {
        l.gap(0.5 * CM);
        paragraph(&mut l, &g.labels.contents, Style::Bold, SIZE);
        let titles: Vec<String> = g.sections.iter().map(|s| s.title.clone()).collect();
        list(&mut l, &titles, true);
    }
    for (i, s) in g.sections.iter().enumerate() {
        l.new_page();
        section(&mut l, i + 1, s, &g.labels)?;
    }
    write_pages(l, &footer, g.title.clone(), "render user guide PDF")
}

#[cfg(test)]
mod tests {
    //! The PDF is read back with poppler-utils (see `tests.rs`).
    use super::super::tests::{
        TempPdf, assert_contains, assert_fonts_embedded, page_count, text_of, tool,
    };
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut out, w, h);
            enc.set_color(png::ColorType::Grayscale);
            enc.set_depth(png::BitDepth::Eight);
            let mut writer = enc.write_header().expect("png header");
            let data: Vec<u8> = (0..w * h).map(|i| (i % 251) as u8).collect();
            writer.write_image_data(&data).expect("png data");
            writer.finish().expect("png end");
        }
        out
    }

    fn guide(shots: bool) -> Guide {
        let section = |n: usize| GuideSection {
            title: format!("Halaman nomor {n}"),
            purpose: "Gunanya halaman ini untuk pengujian panduan.".into(),
            steps: vec!["Buka halaman.".into(), "Tekan tombol Simpan.".into()],
            mistakes: vec!["Lupa menyimpan.".into()],
            screenshot: shots.then(|| png(1280, 800)),
        };
        Guide {
            title: "PANDUAN PENGGUNA E-OFFICE".into(),
            subtitle: "Untuk: Staf".into(),
            intro: vec!["e-Office mengurus naskah dinas.".into()],
            sections: (1..=3).map(section).collect(),
            labels: GuideLabels {
                contents: "Isi panduan".into(),
                steps: "Langkah-langkah".into(),
                mistakes: "Kesalahan yang sering terjadi".into(),
                figure: "Gambar".into(),
            },
            printed_note: "Dibuat dari e-Office".into(),
        }
    }

    #[test]
    fn every_page_gets_its_own_page_with_text_and_screenshot() {
        let pdf = TempPdf::new("guide", &render_guide(&guide(true)).expect("render"));
        assert_fonts_embedded(&pdf);
        assert_eq!(page_count(&pdf), 4, "a title page and one page per section");
        let text = text_of(&pdf);
        for needle in [
            "PANDUAN PENGGUNA E-OFFICE",
            "Isi panduan",
            "3. Halaman nomor 3",
            "Langkah-langkah",
            "Tekan tombol Simpan.",
            "Kesalahan yang sering terjadi",
            "Gambar 2. Halaman nomor 2",
        ] {
            assert_contains(&text, needle);
        }
        let list = tool("pdfimages", &["-list"], &pdf);
        assert_eq!(
            list.lines().filter(|l| l.contains(" 1280 ") && l.contains(" 800 ")).count(),
            3,
            "{list}"
        );
    }

    #[test]
    fn a_guide_without_screenshots_still_prints_its_text() {
        let pdf = TempPdf::new("guide-noshots", &render_guide(&guide(false)).expect("render"));
        assert_contains(&text_of(&pdf), "Halaman nomor 1");
    }

    #[test]
    fn a_broken_screenshot_is_refused_with_a_reason() {
        let mut g = guide(false);
        g.sections[0].screenshot = Some(b"not an image".to_vec());
        let err = render_guide(&g).expect_err("refused");
        assert!(err.to_string().contains("gambar layar"), "{err}");
    }
}
