//! The layout engine of the PDF documents (letters and the lembar disposisi) on krilla: page
//! geometry, the embedded fonts and their measuring, line breaking, positioned drawing operations
//! on pages, images, and drawing the operations onto krilla surfaces.

use std::collections::HashMap;
use std::sync::LazyLock;

use domain::letter_body::Span;
use krilla::color::{luma, rgb};
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::image::Image;
use krilla::num::NormalizedF32;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size as FontSize};

use crate::error::{BackendError, Result};

// --- Page geometry (PDF points, 1 cm = 28.3465 pt) -------------------------------------------

pub(crate) const CM: f32 = 28.346_457;
pub(crate) const PAGE_W: f32 = 595.275_6; // A4
pub(crate) const PAGE_H: f32 = 841.889_8;
pub(crate) const MARGIN_LEFT: f32 = 2.5 * CM;
pub(crate) const MARGIN_RIGHT: f32 = 2.0 * CM;
pub(crate) const MARGIN_TOP: f32 = 1.5 * CM;
/// Space kept free at the bottom of every page for the page number (the footer note adds to it).
pub(crate) const MARGIN_BOTTOM: f32 = 1.6 * CM;
pub(crate) const CONTENT_W: f32 = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT;
pub(crate) const RIGHT: f32 = PAGE_W - MARGIN_RIGHT;
/// Recipients and the signature block start here, on the right half of the text area.
pub(crate) const RIGHT_HALF_X: f32 = MARGIN_LEFT + CONTENT_W / 2.0;

pub(crate) const BODY_SIZE: f32 = 12.0;
/// Line pitch relative to the font size; about Word's "single" spacing for Arial-like faces.
pub(crate) const LINE_FACTOR: f32 = 1.15;
pub(crate) const BODY_LINE: f32 = BODY_SIZE * LINE_FACTOR;
pub(crate) const BLOCK_GAP: f32 = 4.0;
/// Between the parts of a letter (head block, addressees, body, signature, tembusan).
pub(crate) const SECTION_GAP: f32 = 0.75 * BODY_LINE;
pub(crate) const PARA_INDENT: f32 = 1.25 * CM;
pub(crate) const TABLE_SIZE: f32 = 11.0;
pub(crate) const CELL_PAD_X: f32 = 4.0;
pub(crate) const CELL_PAD_Y: f32 = 3.0;
pub(crate) const GRID_WIDTH: f32 = 0.5;
pub(crate) const LOGO_MAX: f32 = 2.4 * CM;
pub(crate) const SIGN_SPACE: f32 = 3.0 * CM;
pub(crate) const QR_SIZE: f32 = 2.5 * CM;
pub(crate) const FOOTER_SIZE: f32 = 8.0;
pub(crate) const PAGE_NO_SIZE: f32 = 9.0;
/// Baseline of the page number, measured from the bottom edge of the page.
pub(crate) const PAGE_NO_BASELINE_FROM_BOTTOM: f32 = 0.9 * CM;

// --- Fonts ---------------------------------------------------------------------------------

static REGULAR: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Regular.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Bold.ttf");
static ITALIC: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Italic.ttf");
static BOLD_ITALIC: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-BoldItalic.ttf");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Style {
    Regular = 0,
    Bold = 1,
    Italic = 2,
    BoldItalic = 3,
}

impl Style {
    pub(crate) fn of(bold: bool, italic: bool) -> Style {
        match (bold, italic) {
            (false, false) => Style::Regular,
            (true, false) => Style::Bold,
            (false, true) => Style::Italic,
            (true, true) => Style::BoldItalic,
        }
    }
}

/// One font face with the metrics layout needs, all normalised to 1 em.
pub(crate) struct Face {
    pub(crate) font: Font,
    /// char -> (glyph id, advance); built once so measuring never touches the font tables again.
    pub(crate) glyphs: HashMap<char, (u32, f32)>,
    pub(crate) notdef_advance: f32,
    pub(crate) ascent: f32,
    pub(crate) descent: f32,
    pub(crate) underline_offset: f32,
    pub(crate) underline_thickness: f32,
}

impl Face {
    pub(crate) fn load(data: &'static [u8]) -> Face {
        // The fonts are compiled in and known to be valid; failing here is a build defect.
        let font = Font::new(data.into(), 0).expect("embedded font must load");
        let sk = skrifa::FontRef::new(data).expect("embedded font must parse");
        let metrics = sk.metrics(FontSize::unscaled(), LocationRef::default());
        let upem = f32::from(metrics.units_per_em.max(1));
        let gm = sk.glyph_metrics(FontSize::unscaled(), LocationRef::default());
        let adv = |gid: skrifa::GlyphId| gm.advance_width(gid).unwrap_or(0.0) / upem;
        let glyphs = sk
            .charmap()
            .mappings()
            .filter_map(|(cp, gid)| char::from_u32(cp).map(|c| (c, (gid.to_u32(), adv(gid)))))
            .collect();
        let underline = metrics
            .underline
            .unwrap_or(skrifa::metrics::Decoration { offset: -0.1 * upem, thickness: 0.07 * upem });
        Face {
            font,
            glyphs,
            notdef_advance: adv(skrifa::GlyphId::NOTDEF),
            ascent: metrics.ascent / upem,
            descent: -metrics.descent / upem,
            underline_offset: -underline.offset / upem,
            underline_thickness: underline.thickness / upem,
        }
    }

    pub(crate) fn glyph(&self, c: char) -> (u32, f32) {
        self.glyphs.get(&c).copied().unwrap_or((0, self.notdef_advance))
    }

    pub(crate) fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.glyph(c).1).sum::<f32>() * size
    }
}

pub(crate) static FACES: LazyLock<[Face; 4]> = LazyLock::new(|| {
    [Face::load(REGULAR), Face::load(BOLD), Face::load(ITALIC), Face::load(BOLD_ITALIC)]
});

pub(crate) fn face(style: Style) -> &'static Face {
    &FACES[style as usize]
}

pub(crate) fn width(style: Style, size: f32, text: &str) -> f32 {
    face(style).width(text, size)
}

/// Distance from the top of a line box to its baseline, centring the font's extent in the box.
pub(crate) fn baseline_offset(size: f32, line_h: f32) -> f32 {
    let f = face(Style::Regular);
    let extent = (f.ascent + f.descent) * size;
    (line_h - extent) / 2.0 + f.ascent * size
}

// --- Drawing operations --------------------------------------------------------------------

#[derive(Clone, Copy)]
pub(crate) enum Color {
    Black,
    Grey(u8),
    Red,
}

pub(crate) enum Op {
    /// Text on one baseline; `space_extra` widens every space (justification).
    Text {
        x: f32,
        baseline: f32,
        style: Style,
        size: f32,
        text: String,
        space_extra: f32,
        color: Color,
    },
    /// Filled rectangle: kop rules, underlines.
    Rule {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
    /// Stroked straight line: table grid.
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
    },
    Image {
        image: Image,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
}

#[derive(Default)]
pub(crate) struct Page {
    pub(crate) ops: Vec<Op>,
}

// --- Line breaking -------------------------------------------------------------------------

/// A run of text in one style, as it ends up on a line.
#[derive(Clone, Debug)]
pub(crate) struct Frag {
    pub(crate) style: Style,
    pub(crate) text: String,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Line {
    pub(crate) frags: Vec<Frag>,
    pub(crate) width: f32,
    /// Spaces between words, the ones justification widens.
    pub(crate) spaces: usize,
    /// Last line of a paragraph or ended by an explicit newline: never justified.
    pub(crate) hard_end: bool,
}

impl Line {
    pub(crate) fn push(&mut self, style: Style, text: &str) {
        match self.frags.last_mut() {
            Some(f) if f.style == style => f.text.push_str(text),
            _ => self.frags.push(Frag { style, text: text.to_string() }),
        }
    }
    pub(crate) fn is_empty(&self) -> bool {
        self.frags.is_empty()
    }
}

pub(crate) enum Token {
    Word(Vec<Frag>),
    Space(Style),
    Newline,
}

/// Splits styled text into words (which may change style mid-word, e.g. "**penting**,"), spaces
/// and explicit line breaks.
pub(crate) fn tokenize(runs: &[(Style, &str)]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut word: Vec<Frag> = Vec::new();
    let flush = |word: &mut Vec<Frag>, out: &mut Vec<Token>| {
        if !word.is_empty() {
            out.push(Token::Word(std::mem::take(word)));
        }
    };
    for &(style, text) in runs {
        for c in text.chars() {
            match c {
                '\n' => {
                    flush(&mut word, &mut out);
                    out.push(Token::Newline);
                }
                // Non-breaking space stays inside the word; other whitespace separates words.
                c if c.is_whitespace() && c != '\u{a0}' => {
                    flush(&mut word, &mut out);
                    out.push(Token::Space(style));
                }
                c if c.is_control() || c == '\u{ad}' => {}
                c => match word.last_mut() {
                    Some(f) if f.style == style => f.text.push(c),
                    _ => word.push(Frag { style, text: c.to_string() }),
                },
            }
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Greedy line breaking. `first` is the width of the first line, `rest` of the others (first-line
/// indents and hanging labels). Words wider than a whole line are cut between characters so that
/// nothing ever runs off the page.
pub(crate) fn wrap(runs: &[(Style, &str)], size: f32, first: f32, rest: f32) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    let mut cur = Line::default();
    let mut pending_space: Option<Style> = None;
    let limit = |lines: &Vec<Line>| if lines.is_empty() { first } else { rest };
    for token in tokenize(runs) {
        match token {
            Token::Newline => {
                cur.hard_end = true;
                lines.push(std::mem::take(&mut cur));
                pending_space = None;
            }
            Token::Space(style) => {
                if !cur.is_empty() {
                    pending_space.get_or_insert(style);
                }
            }
            Token::Word(frags) => {
                let w: f32 = frags.iter().map(|f| width(f.style, size, &f.text)).sum();
                let sw = pending_space.map_or(0.0, |s| width(s, size, " "));
                if !cur.is_empty() && cur.width + sw + w > limit(&lines) + 0.01 {
                    lines.push(std::mem::take(&mut cur));
                    pending_space = None;
                }
                if cur.is_empty() && w > limit(&lines) + 0.01 {
                    // Cut the over-long word into pieces that each fill a line.
                    for f in frags {
                        for c in f.text.chars() {
                            let cw = face(f.style).glyph(c).1 * size;
                            if !cur.is_empty() && cur.width + cw > limit(&lines) + 0.01 {
                                lines.push(std::mem::take(&mut cur));
                            }
                            let mut buf = [0u8; 4];
                            cur.push(f.style, c.encode_utf8(&mut buf));
                            cur.width += cw;
                        }
                    }
                    continue;
                }
                if let Some(s) = pending_space.take() {
                    cur.push(s, " ");
                    cur.width += sw;
                    cur.spaces += 1;
                }
                for f in &frags {
                    cur.push(f.style, &f.text);
                }
                cur.width += w;
            }
        }
    }
    if !cur.is_empty() || lines.is_empty() || lines.last().is_some_and(|l| l.hard_end) {
        lines.push(cur);
    }
    if let Some(last) = lines.last_mut() {
        last.hard_end = true;
    }
    lines
}

pub(crate) fn wrap_plain(style: Style, size: f32, text: &str, w: f32) -> Vec<Line> {
    wrap(&[(style, text)], size, w, w)
}

pub(crate) fn span_runs(spans: &[Span]) -> Vec<(Style, &str)> {
    spans.iter().map(|s| (Style::of(s.bold, s.italic), s.text.as_str())).collect()
}

#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Align {
    Left,
    Center,
    Right,
    Justify,
}

// --- Layout --------------------------------------------------------------------------------

pub(crate) struct Layout {
    pub(crate) pages: Vec<Page>,
    /// Top of the next line box on the current page.
    pub(crate) y: f32,
    /// Lowest y content may reach on every page.
    pub(crate) bottom: f32,
}

impl Layout {
    pub(crate) fn new(bottom: f32) -> Layout {
        Layout { pages: vec![Page::default()], y: MARGIN_TOP, bottom }
    }

    pub(crate) fn page(&mut self) -> &mut Page {
        self.pages.last_mut().expect("layout always has a page")
    }

    pub(crate) fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = MARGIN_TOP;
    }

    pub(crate) fn at_page_top(&self) -> bool {
        self.y <= MARGIN_TOP + 0.01
    }

    /// Starts a new page unless `h` more points fit on this one. A fresh page takes anything: a
    /// block taller than a page is then split by its own line-by-line checks.
    pub(crate) fn ensure(&mut self, h: f32) {
        if self.y + h > self.bottom + 0.01 && !self.at_page_top() {
            self.new_page();
        }
    }

    /// Vertical space between blocks; dropped at the top of a page.
    pub(crate) fn gap(&mut self, h: f32) {
        if !self.at_page_top() {
            self.y += h;
        }
    }

    pub(crate) fn text(&mut self, x: f32, baseline: f32, style: Style, size: f32, text: &str) {
        if !text.is_empty() {
            self.page().ops.push(Op::Text {
                x,
                baseline,
                style,
                size,
                text: text.to_string(),
                space_extra: 0.0,
                color: Color::Black,
            });
        }
    }

    /// Draws one laid-out line whose box starts at the current y, then moves below it.
    pub(crate) fn line(
        &mut self,
        line: &Line,
        x: f32,
        w: f32,
        size: f32,
        line_h: f32,
        align: Align,
    ) {
        self.ensure(line_h);
        let baseline = self.y + baseline_offset(size, line_h);
        let (mut cx, extra) = match align {
            Align::Left => (x, 0.0),
            Align::Center => (x + (w - line.width) / 2.0, 0.0),
            Align::Right => (x + w - line.width, 0.0),
            Align::Justify if !line.hard_end && line.spaces > 0 => {
                (x, ((w - line.width) / line.spaces as f32).max(0.0))
            }
            Align::Justify => (x, 0.0),
        };
        for f in &line.frags {
            let fw = width(f.style, size, &f.text) + extra * f.text.matches(' ').count() as f32;
            self.page().ops.push(Op::Text {
                x: cx,
                baseline,
                style: f.style,
                size,
                text: f.text.clone(),
                space_extra: extra,
                color: Color::Black,
            });
            cx += fw;
        }
        self.y += line_h;
    }

    pub(crate) fn lines(&mut self, lines: &[Line], x: f32, w: f32, size: f32, align: Align) {
        for l in lines {
            self.line(l, x, w, size, size * LINE_FACTOR, align);
        }
    }

    /// Text whose first line starts at `x_first` and whose other lines hang at `x_rest`; all end
    /// at `right`.
    pub(crate) fn hanging(
        &mut self,
        runs: &[(Style, &str)],
        size: f32,
        x_first: f32,
        x_rest: f32,
        right: f32,
        align: Align,
    ) {
        let lines = wrap(runs, size, right - x_first, right - x_rest);
        for (i, l) in lines.iter().enumerate() {
            let x = if i == 0 { x_first } else { x_rest };
            self.line(l, x, right - x, size, size * LINE_FACTOR, align);
        }
    }

    /// Underlines the line just drawn (after any page break it caused).
    pub(crate) fn underline_last(&mut self, x: f32, w: f32, style: Style, size: f32, line_h: f32) {
        let baseline = self.y - line_h + baseline_offset(size, line_h);
        let f = face(style);
        let h = (f.underline_thickness * size).max(0.5);
        self.page().ops.push(Op::Rule {
            x,
            y: baseline + f.underline_offset * size - h / 2.0,
            w,
            h,
        });
    }
}

// --- Sections ------------------------------------------------------------------------------

pub(crate) fn load_image(bytes: &[u8], what: &str, interpolate: bool) -> Result<Image> {
    let data: krilla::Data = bytes.to_vec().into();
    let img = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Image::from_png(data, interpolate)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Image::from_jpeg(data, interpolate)
    } else {
        Err("not a PNG or JPEG file".into())
    };
    img.map_err(|e| {
        tracing::warn!(error = %e, "unreadable {what} image");
        BackendError::invalid(format!(
            "Gambar {what} tidak dapat dibaca (harus berkas PNG atau JPEG yang utuh)."
        ))
    })
}

/// Size in points of an image fitted into a `max_w` x `max_h` box, keeping its aspect ratio.
pub(crate) fn fit(image: &Image, max_w: f32, max_h: f32) -> (f32, f32) {
    let (pw, ph) = image.size();
    let (pw, ph) = (pw.max(1) as f32, ph.max(1) as f32);
    let scale = (max_w / pw).min(max_h / ph);
    (pw * scale, ph * scale)
}

// --- Output --------------------------------------------------------------------------------

pub(crate) fn paint(color: Color) -> krilla::paint::Paint {
    match color {
        Color::Black => luma::Color::black().into(),
        Color::Grey(l) => luma::Color::new(l).into(),
        Color::Red => rgb::Color::new(190, 0, 0).into(),
    }
}

pub(crate) fn fill(color: Color) -> Fill {
    Fill { paint: paint(color), ..Default::default() }
}

pub(crate) fn glyphs(style: Style, text: &str, size: f32, space_extra: f32) -> Vec<KrillaGlyph> {
    let f = face(style);
    let extra = space_extra / size;
    text.char_indices()
        .map(|(i, c)| {
            let (gid, adv) = f.glyph(c);
            let adv = if c == ' ' { adv + extra } else { adv };
            KrillaGlyph::new(GlyphId::new(gid), adv, 0.0, 0.0, 0.0, i..i + c.len_utf8(), None)
        })
        .collect()
}

/// The preview mark drawn large and diagonally behind the content. It is drawn as outlines, not
/// as text, so it never mixes into the extracted words of the letter (the header line carries
/// the same words as real text).
pub(crate) fn draw_watermark(surface: &mut krilla::surface::Surface<'_>, mark: &str) {
    let style = Style::Bold;
    let natural = width(style, 1.0, mark).max(0.01);
    let diagonal = (PAGE_W * PAGE_W + PAGE_H * PAGE_H).sqrt();
    let size = (0.6 * diagonal / natural).min(72.0);
    let w = natural * size;
    let angle = -(PAGE_H / PAGE_W).atan().to_degrees();
    surface.push_transform(&Transform::from_rotate_at(angle, PAGE_W / 2.0, PAGE_H / 2.0));
    surface.set_fill(Some(Fill {
        paint: luma::Color::new(150).into(),
        opacity: NormalizedF32::new(0.25).unwrap_or(NormalizedF32::ONE),
        ..Default::default()
    }));
    surface.set_stroke(None);
    let baseline = PAGE_H / 2.0 + 0.35 * size;
    surface.draw_glyphs(
        Point::from_xy((PAGE_W - w) / 2.0, baseline),
        &glyphs(style, mark, size, 0.0),
        face(style).font.clone(),
        mark,
        size,
        true,
    );
    surface.pop();
}

pub(crate) fn draw(surface: &mut krilla::surface::Surface<'_>, op: Op) {
    match op {
        Op::Text { x, baseline, style, size, text, space_extra, color } => {
            surface.set_fill(Some(fill(color)));
            surface.set_stroke(None);
            let g = glyphs(style, &text, size, space_extra);
            surface.draw_glyphs(
                Point::from_xy(x, baseline),
                &g,
                face(style).font.clone(),
                &text,
                size,
                false,
            );
        }
        Op::Rule { x, y, w, h } => {
            if let Some(rect) = Rect::from_xywh(x, y, w, h) {
                let mut pb = PathBuilder::new();
                pb.push_rect(rect);
                if let Some(path) = pb.finish() {
                    surface.set_fill(Some(fill(Color::Black)));
                    surface.set_stroke(None);
                    surface.draw_path(&path);
                }
            }
        }
        Op::Line { x1, y1, x2, y2, width } => {
            let mut pb = PathBuilder::new();
            pb.move_to(x1, y1);
            pb.line_to(x2, y2);
            if let Some(path) = pb.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke { width, ..Default::default() }));
                surface.draw_path(&path);
            }
        }
        Op::Image { image, x, y, w, h } => {
            if let Some(size) = Size::from_wh(w, h) {
                surface.push_transform(&Transform::from_translate(x, y));
                surface.draw_image(image, size);
                surface.pop();
            }
        }
    }
}
