//! Static files (CSS, JavaScript, icons) from `assets/static/`, embedded in the binary so that
//! no page loads anything from another host.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "assets/static/"]
struct StaticFiles;

/// `GET /static/{*path}`. Pages add `?v={version}` to asset links, so a week's caching is safe.
pub async fn serve(Path(path): Path<String>) -> Response {
    let Some(file) = StaticFiles::get(&path) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mime = file.metadata.mimetype().to_owned();
    let mut response = file.data.into_owned().into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&mime) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=604800"));
    response
}
