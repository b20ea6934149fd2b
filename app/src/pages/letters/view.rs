//! The letter as readers see it on screen: head block, addressees, body, tembusan.

use domain::letter::{LetterDraft, RecipientRole};
use domain::letter_body::{Block, LetterBody, Span};
use leptos::prelude::*;

fn spans_view(spans: Vec<Span>) -> impl IntoView {
    spans
        .into_iter()
        .map(|s| match (s.bold, s.italic) {
            (true, true) => view! {
                <strong>
                    <em>{s.text}</em>
                </strong>
            }
            .into_any(),
            (true, false) => view! { <strong>{s.text}</strong> }.into_any(),
            (false, true) => view! { <em>{s.text}</em> }.into_any(),
            (false, false) => view! { <span>{s.text}</span> }.into_any(),
        })
        .collect_view()
}

#[component]
pub fn BodyView(body: LetterBody) -> impl IntoView {
    body.blocks
        .into_iter()
        .map(|b| match b {
            Block::Paragraph(sp) => view! { <p>{spans_view(sp)}</p> }.into_any(),
            Block::Numbered(items) => view! { <ol>{items.into_iter().map(|it| view! { <li>{spans_view(it)}</li> }).collect_view()}</ol> }.into_any(),
            Block::Bulleted(items) => view! { <ul>{items.into_iter().map(|it| view! { <li>{spans_view(it)}</li> }).collect_view()}</ul> }.into_any(),
            Block::Table(rows) => {
                let mut rows = rows.into_iter();
                let head = rows.next().unwrap_or_default();
                view! {
                    <div class="table-wrap" tabindex="0">
                        <table class="letter-table">
                            <thead>
                                <tr>
                                    {head
                                        .into_iter()
                                        .map(|c| view! { <th scope="col">{c}</th> })
                                        .collect_view()}
                                </tr>
                            </thead>
                            <tbody>
                                {rows
                                    .map(|r| {
                                        view! {
                                            <tr>
                                                {r
                                                    .into_iter()
                                                    .map(|c| view! { <td>{c}</td> })
                                                    .collect_view()}
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                .into_any()
            }
        })
        .collect_view()
}

/// The whole letter on screen, close to its printed layout.
#[component]
pub fn LetterSheet(
    draft: LetterDraft,
    number: Option<String>,
    opd_name: String,
    signer_title: String,
    co_signer_title: Option<String>,
) -> impl IntoView {
    let to: Vec<String> = draft
        .recipients
        .iter()
        .filter(|r| r.role == RecipientRole::To)
        .map(|r| r.name.clone())
        .collect();
    let cc: Vec<String> = draft
        .recipients
        .iter()
        .filter(|r| r.role == RecipientRole::Cc)
        .map(|r| r.name.clone())
        .collect();
    view! {
        <article class="letter-sheet" aria-label="Naskah surat">
            <header class="letter-kop">
                <strong>{opd_name.to_uppercase()}</strong>
            </header>
            <dl class="letter-head">
                <dt>"Nomor"</dt>
                <dd>{number.unwrap_or_else(|| "(diberikan saat ditandatangani)".into())}</dd>
                <dt>"Sifat"</dt>
                <dd>{draft.sifat.label()}</dd>
                <dt>"Lampiran"</dt>
                <dd>
                    {if draft.attachment_count == 0 {
                        "-".to_string()
                    } else {
                        format!("{} berkas", draft.attachment_count)
                    }}
                </dd>
                <dt>"Hal"</dt>
                <dd>{draft.subject.clone()}</dd>
            </dl>
            <div class="letter-to">
                <p>"Yth."</p>
                {if to.len() > 1 {
                    view! {
                        <ol>{to.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ol>
                    }
                        .into_any()
                } else {
                    view! { <p>{to.into_iter().next().unwrap_or_else(|| "—".into())}</p> }
                        .into_any()
                }}
            </div>
            <div class="letter-body">
                <BodyView body=draft.body.clone() />
            </div>
            {match co_signer_title {
                Some(co) => {
                    // A joint letter: the co-signer's block on the left, the signer's on the right.
                    view! {
                        <div class="letter-signs">
                            <p class="letter-sign">{co}</p>
                            <p class="letter-sign">{signer_title}</p>
                        </div>
                    }
                        .into_any()
                }
                None => view! { <p class="letter-sign">{signer_title}</p> }.into_any(),
            }}
            {(!cc.is_empty())
                .then(|| {
                    view! {
                        <div class="letter-cc">
                            <p>"Tembusan:"</p>
                            <ol>{cc.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ol>
                        </div>
                    }
                })}
        </article>
    }
}
