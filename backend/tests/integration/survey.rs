//! The satisfaction survey: offered once a WIB month per person, answered without the person,
//! counted per OPD for the Admin Pemda only.

use crate::common::{ADMIN_OPD, caller, pemda_admin, user};
use backend::Store;
use backend::rights::PemdaAdmin;
use backend::seed::seed_demo;
use domain::Lang;
use domain::survey::{Satisfaction, SurveyAnswer};
use domain::time::{DAY_MS, days_from_civil};

const KABID: &str = "teguh.wibowo@bojonegorokab.go.id";
const STAF: &str = "putri.ayu@bojonegorokab.go.id";

fn answer(level: &str, comment: &str) -> SurveyAnswer {
    SurveyAnswer { level: level.into(), comment: comment.into() }
}

/// Noon WIB on a day.
fn at(y: i64, m: u32, d: u32) -> i64 {
    days_from_civil(y, m, d) * DAY_MS + 5 * 3_600_000
}

async fn offered_once_a_month_and_counted_without_the_person(store: Store) {
    seed_demo(&store).await.unwrap();
    let putri = user(&store, STAF).await;
    let teguh = user(&store, KABID).await;
    let dec = at(2026, 12, 7);
    assert!(store.survey_due_at(&putri, dec).await.unwrap());

    // A refused answer changes nothing: still offered.
    let e = store.answer_survey_at(&putri, &answer("", "Bagus"), Lang::Id, dec).await.unwrap_err();
    assert_eq!(e.status(), 422);
    assert!(e.user_message().contains("Pilih salah satu"), "{}", e.user_message());
    let e = store
        .answer_survey_at(&putri, &answer("puas", &"x".repeat(1001)), Lang::En, dec)
        .await
        .unwrap_err();
    assert!(e.user_message().contains("at most 1000"), "{}", e.user_message());
    assert!(store.survey_due_at(&putri, dec).await.unwrap());

    store
        .answer_survey_at(&putri, &answer("tidak_puas", " Lambat dibuka di HP. "), Lang::Id, dec)
        .await
        .unwrap();
    assert!(!store.survey_due_at(&putri, dec).await.unwrap());
    // A second answer in the same month (a double click, a replay) is refused and not counted.
    let e = store
        .answer_survey_at(&putri, &answer("sangat_puas", ""), Lang::Id, dec)
        .await
        .unwrap_err();
    assert!(e.user_message().contains("sudah Anda isi"), "{}", e.user_message());
    // "Nanti saja" puts it off for the month; nothing is counted.
    store.dismiss_survey_at(&teguh, dec).await.unwrap();
    assert!(!store.survey_due_at(&teguh, dec).await.unwrap());
    // Next month both are asked again.
    let jan = at(2027, 1, 2);
    assert!(store.survey_due_at(&putri, jan).await.unwrap());
    assert!(store.survey_due_at(&teguh, jan).await.unwrap());
    store.answer_survey_at(&teguh, &answer("puas", ""), Lang::Id, jan).await.unwrap();
    store.answer_survey_at(&putri, &answer("sangat_puas", ""), Lang::Id, jan).await.unwrap();

    let admin = pemda_admin(&store).await;
    let r = store.survey_results_at(&admin, jan).await.unwrap();
    assert_eq!(r.since, "2026-08");
    assert_eq!(r.rows.len(), 1, "{r:?}");
    assert_eq!(r.rows[0].opd_id, putri.opd_id);
    let mut counts = [0; 4];
    counts[Satisfaction::SangatPuas.index()] = 1;
    counts[Satisfaction::Puas.index()] = 1;
    counts[Satisfaction::TidakPuas.index()] = 1;
    assert_eq!(r.rows[0].counts, counts);
    assert_eq!(r.overall().total(), 3);
    assert_eq!(r.comments.len(), 1);
    assert_eq!(r.comments[0].text, "Lambat dibuka di HP.");
    assert_eq!(r.comments[0].month, "2026-12");
    assert_eq!(r.comments[0].level, Satisfaction::TidakPuas);
    // Nothing in the answers names the person.
    let names: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM survey_answer WHERE comment LIKE '%' || $1 || '%' OR id = $2",
    )
    .bind(&putri.name)
    .bind(&putri.employee_id)
    .fetch_one(&store.pool)
    .await
    .unwrap();
    assert_eq!(names, 0);
    // Half a year later the December answer has left the window.
    let later = at(2027, 6, 1);
    let r = store.survey_results_at(&admin, later).await.unwrap();
    assert_eq!(r.overall().total(), 2);
    assert!(r.comments.is_empty());
}

async fn only_the_admin_pemda_sees_the_results(store: Store) {
    seed_demo(&store).await.unwrap();
    // The allowed caller first, so the refusal below is about rights, not a missing feature.
    let admin = pemda_admin(&store).await;
    assert!(store.survey_results(&admin).await.unwrap().rows.is_empty());
    let e = PemdaAdmin::check(caller(&store, ADMIN_OPD).await).unwrap_err();
    assert_eq!(e.status(), 403);
}

dual_test!(offered_once_a_month, offered_once_a_month_and_counted_without_the_person);
dual_test!(results_for_the_admin_pemda, only_the_admin_pemda_sees_the_results);
