use crate::app::lang;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    let l = lang();
    view! {
        <Title text=l.t("Halaman tidak ditemukan", "Page not found") />
        <main class="page center" id="konten">
            <h1>"404"</h1>
            <p>
                {l
                    .t(
                        "Halaman yang Anda cari tidak ditemukan. Periksa alamatnya, atau kembali ke beranda.",
                        "The page you are looking for does not exist. Check the address, or go back home.",
                    )}
            </p>
            <p>
                <a class="btn btn-primary" href="/">
                    {l.t("Ke beranda", "Go home")}
                </a>
            </p>
        </main>
    }
}
