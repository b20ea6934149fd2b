//! Server functions, grouped by area. Each is thin: authorise, call the backend, map errors.

pub mod admin;
pub mod auth;
#[cfg(feature = "ssr")]
pub mod ctx;
pub mod dashboard;
pub mod help;
pub mod incoming;
pub mod kinerja;
pub mod letters;
pub mod notifications;
pub mod org;
pub mod security;
pub mod survey;
pub mod tte;

/// How every server function sends its reply: JSON, read in the browser from text with
/// `serde_json::from_str`, the same reader that decodes the values the server serialised into the
/// page for hydration. With Leptos' default (`from_slice`) each reply type was deserialised by two
/// readers, and the wasm carried both copies of every deserialiser.
pub type JsonReply = leptos::server_fn::codec::Post<TextJson>;

/// The encoding behind [`JsonReply`].
pub struct TextJson;

impl leptos::server_fn::ContentType for TextJson {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl leptos::server_fn::FormatType for TextJson {
    const FORMAT_TYPE: leptos::server_fn::Format = leptos::server_fn::Format::Text;
}

impl<T: serde::Serialize> leptos::server_fn::Encodes<T> for TextJson {
    type Error = serde_json::Error;

    fn encode(output: &T) -> Result<leptos::server_fn::Bytes, Self::Error> {
        serde_json::to_vec(output).map(leptos::server_fn::Bytes::from)
    }
}

impl<T: serde::de::DeserializeOwned> leptos::server_fn::Decodes<T> for TextJson {
    type Error = serde_json::Error;

    fn decode(bytes: leptos::server_fn::Bytes) -> Result<T, Self::Error> {
        let text = std::str::from_utf8(&bytes).map_err(serde::de::Error::custom)?;
        serde_json::from_str(text)
    }
}
