//! The printable user guide per role (`render::render_guide`), assembled from the in-app help
//! texts (`domain::help`) and the pages' screenshots. The browser tests take the screenshots
//! (`end2end/tests/guide.spec.ts`) into the `panduan/` folder of the site, one `<page>.jpg` (or
//! `.png`) per page, so the pictures always show the current UI; a page without one is printed
//! without a picture.

use crate::render::{Guide, GuideLabels, GuideSection};
use domain::Lang;
use domain::help::{GuideRole, guide_intro, guide_topics};
use domain::time::long_datetime;
use std::path::Path;

/// The screenshot of a page, if the tests have taken one.
fn screenshot(dir: &Path, key: &str) -> Option<Vec<u8>> {
    ["jpg", "png"].iter().find_map(|ext| std::fs::read(dir.join(format!("{key}.{ext}"))).ok())
}

/// The guide of `role` in language `l`, with the screenshots found in `shots`.
pub fn user_guide(role: GuideRole, l: Lang, shots: &Path, now_ms: i64) -> Guide {
    let sections = guide_topics(role)
        .map(|t| {
            let text = t.text(l, role);
            GuideSection {
                title: text.title,
                purpose: text.purpose,
                steps: text.steps,
                mistakes: text.mistakes,
                screenshot: screenshot(shots, t.key),
            }
        })
        .collect();
    Guide {
        title: l.t("PANDUAN PENGGUNA E-OFFICE", "E-OFFICE USER GUIDE").to_string(),
        subtitle: format!("{}: {}", l.t("Untuk", "For"), role.label(l)),
        intro: guide_intro(l),
        sections,
        labels: GuideLabels {
            contents: l.t("Isi panduan", "Contents").to_string(),
            steps: l.t("Langkah-langkah", "Steps").to_string(),
            mistakes: l.t("Kesalahan yang sering terjadi", "Common mistakes").to_string(),
            figure: l.t("Gambar", "Figure").to_string(),
        },
        printed_note: format!(
            "{} {} {}",
            l.t("Panduan e-Office, dibuat", "e-Office guide, made"),
            long_datetime(now_ms, l),
            l.t("dari teks bantuan aplikasi", "from the application's help texts"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_guide_has_every_page_of_its_role_and_the_screenshots_present() {
        let dir = std::env::temp_dir().join(format!("eoffice-guide-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        std::fs::write(dir.join("kotak-masuk.jpg"), b"jpeg bytes").expect("write");
        let g = user_guide(GuideRole::Tu, Lang::Id, &dir, 0);
        assert_eq!(g.sections.len(), guide_topics(GuideRole::Tu).count());
        assert!(g.subtitle.contains("TU"));
        let with_shot: Vec<&str> = g
            .sections
            .iter()
            .filter(|s| s.screenshot.is_some())
            .map(|s| s.title.as_str())
            .collect();
        assert_eq!(with_shot, ["Kotak Masuk"]);
        assert!(g.sections.iter().any(|s| s.title == "Registrasi surat masuk"));
        let en = user_guide(GuideRole::Admin, Lang::En, &dir, 0);
        assert_eq!(en.title, "E-OFFICE USER GUIDE");
        assert!(en.sections.iter().any(|s| s.title == "Audit log"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
