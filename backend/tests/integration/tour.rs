//! The first-login tour: offered to accounts made after it arrived, until finished or skipped;
//! the demo's people (and everyone there before) are not toured.

use crate::common::{opd_admin, user, user_by_id};
use backend::Store;
use backend::seed::seed_demo;
use backend::store::org::EmployeeInput;

const STAF: &str = "putri.ayu@bojonegorokab.go.id";

async fn offered_to_new_accounts_until_done(store: Store) {
    seed_demo(&store).await.unwrap();
    let putri = user(&store, STAF).await;
    assert!(!store.tour_due(&putri).await.unwrap(), "the demo's people know their way");

    let input = EmployeeInput {
        nip: "199703032021031002".into(),
        name: "Pegawai Baru Tur".into(),
        email: "pegawai.baru.tur@bojonegorokab.go.id".into(),
        phone: "".into(),
        position_id: None,
    };
    let id =
        store.create_employee(&opd_admin(&store, &putri.opd_id).await, &input, "x").await.unwrap();
    let fresh = user_by_id(&store, &id).await;
    assert!(store.tour_due(&fresh).await.unwrap());
    store.finish_tour(&fresh).await.unwrap();
    assert!(!store.tour_due(&fresh).await.unwrap());
    // Finishing again (a second tab) is no error and changes nothing.
    store.finish_tour(&fresh).await.unwrap();
    assert!(!store.tour_due(&fresh).await.unwrap());
    assert!(!store.tour_due(&putri).await.unwrap());
}

dual_test!(tour_for_new_accounts, offered_to_new_accounts_until_done);
