//! Extractors whose rejections are `AppError`s, so bad input always gets problem+json naming
//! the field (API.md: malformed JSON → 400, wrong content type → 415, bad values → 422).

use axum::body::Bytes;
use axum::extract::Multipart;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::{AppError, AppResult, FieldError};

/// A JSON body; like `axum::Json` but every rejection is an [`AppError`].
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        if !is_json(req.headers().get(header::CONTENT_TYPE)) {
            return Err(not_json());
        }
        let body =
            Bytes::from_request(req, state).await.map_err(|rejection| AppError::Malformed(rejection.body_text()))?;
        parse_json(&body).map(ApiJson)
    }
}

/// `application/json` or a `+json` type, parameters ignored.
fn is_json(content_type: Option<&axum::http::HeaderValue>) -> bool {
    content_type
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(str::trim)
        .is_some_and(|mime| mime.eq_ignore_ascii_case("application/json") || mime.ends_with("+json"))
}

fn not_json() -> AppError {
    // "Send the data as JSON (Content-Type: application/json)."
    AppError::UnsupportedMediaType("Hãy gửi dữ liệu dạng JSON (Content-Type: application/json).".into())
}

/// A JSON body that may be left out: an empty body (or `null`) is `T::default()`, anything else is read
/// like [`ApiJson`]. For actions whose body is optional (`POST /nominations/{id}/submit`).
#[derive(Debug)]
pub struct OptionalJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Default> FromRequest<S> for OptionalJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let content_type = req.headers().get(header::CONTENT_TYPE).cloned();
        let body =
            Bytes::from_request(req, state).await.map_err(|rejection| AppError::Malformed(rejection.body_text()))?;
        if body.iter().all(u8::is_ascii_whitespace) || body.trim_ascii() == b"null" {
            return Ok(OptionalJson(T::default()));
        }
        if !is_json(content_type.as_ref()) {
            return Err(not_json());
        }
        parse_json(&body).map(OptionalJson)
    }
}

/// Deserializes JSON, naming the failing field: syntax errors → 400, wrong values → 422.
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let result = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|err| (err.path().to_string(), err.into_inner()))
        .and_then(|value| deserializer.end().map(|()| value).map_err(|err| (String::new(), err)));
    result.map_err(|(path, err)| {
        if err.is_syntax() || err.is_eof() || err.is_io() {
            // "The JSON is malformed: …"
            AppError::Malformed(format!("JSON sai cú pháp: {err}"))
        } else {
            AppError::Invalid(vec![data_error(&path, &err.to_string())])
        }
    })
}

/// The uploaded file of a multipart form's `file` field. Errors: 415 when the body is not
/// multipart; 422 naming `file` when the field is missing.
pub async fn uploaded_file(multipart: Result<Multipart, MultipartRejection>) -> AppResult<Vec<u8>> {
    // "Send the file as multipart/form-data in the field "file"."
    let expected =
        || AppError::UnsupportedMediaType("Hãy gửi tệp dạng multipart/form-data trong trường “file”.".into());
    let mut multipart = multipart.map_err(|_| expected())?;
    while let Some(field) = multipart.next_field().await.map_err(|err| AppError::Malformed(err.body_text()))? {
        if field.name() == Some("file") {
            let bytes = field.bytes().await.map_err(|err| AppError::Malformed(err.body_text()))?;
            return Ok(bytes.to_vec());
        }
    }
    Err(AppError::invalid("file", "Chưa chọn tệp để nhập.")) // "No file chosen."
}

/// A query string; unknown parameters are ignored, bad values → 422 naming the parameter.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, AppError> {
        let query = parts.uri.query().unwrap_or_default();
        // Browsers send empty form fields as `name=`; treat them as absent.
        let cleaned = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form_urlencoded::parse(query.as_bytes()).filter(|(_, value)| !value.trim().is_empty()))
            .finish();
        let deserializer = serde_urlencoded::Deserializer::new(form_urlencoded::parse(cleaned.as_bytes()));
        serde_path_to_error::deserialize(deserializer)
            .map(ApiQuery)
            .map_err(|err| AppError::Invalid(vec![data_error(&err.path().to_string(), &err.inner().to_string())]))
    }
}

/// Path parameters; a value that does not parse (e.g. `/festivals/abc`) is simply not found.
#[derive(Debug)]
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| ApiPath(value))
            // "No such address."
            .map_err(|_| AppError::not_found("Không có địa chỉ này."))
    }
}

/// Turns a serde data error at `path` into a field error in Vietnamese.
fn data_error(path: &str, message: &str) -> FieldError {
    let path = if path == "." { "" } else { path };
    if let Some(missing) = between_backticks(message, "missing field `") {
        let field = if path.is_empty() { missing.to_owned() } else { format!("{path}.{missing}") };
        // "Required."
        return FieldError::new(field, "Bắt buộc nhập.");
    }
    let detail = message.split(" at line ").next().unwrap_or(message);
    FieldError::new(if path.is_empty() { "body" } else { path }, explain(detail))
}

/// serde's wording, in Vietnamese for the user.
fn explain(detail: &str) -> String {
    let choices = detail
        .split_once("expected one of ")
        .or_else(|| detail.starts_with("unknown variant").then(|| detail.split_once(", expected ")).flatten())
        .map(|(_, choices)| choices);
    if let Some(choices) = choices {
        // "Not one of the allowed values: …"
        return format!(
            "Giá trị không nằm trong danh sách cho phép: {}.",
            choices.replace('`', "").replace(" or ", ", ")
        );
    }
    if detail.contains("invalid digit") || detail.contains("cannot parse integer") {
        return "Phải là số.".into(); // "Must be a number."
    }
    let expected = detail.split_once(", expected ").map(|(_, expected)| expected);
    match expected {
        Some(kind) if kind.starts_with('u') => "Phải là số nguyên không âm.".into(), // "A whole number ≥ 0."
        Some(kind) if kind.starts_with('i') => "Phải là số nguyên.".into(),          // "A whole number."
        Some("a boolean") => "Phải là true hoặc false.".into(),
        Some(kind) if kind.contains("string") => "Phải là chuỗi ký tự.".into(), // "Must be text."
        _ if detail.contains("input is out of range") => "Ngày hoặc giờ không tồn tại.".into(), // "No such date/time."
        _ if detail.contains("premature end of input") || detail.contains("input contains invalid characters") => {
            // "Wrong format: dates YYYY-MM-DD, times RFC 3339 (2025-08-19T07:30:00+07:00)."
            "Sai định dạng: ngày YYYY-MM-DD, thời điểm RFC 3339 (2025-08-19T07:30:00+07:00).".into()
        }
        // "Invalid value: …"
        _ => format!("Giá trị không hợp lệ: {detail}."),
    }
}

fn between_backticks<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = message.strip_prefix(prefix)?;
    rest.split('`').next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Item {
        title: String,
        count: u32,
    }

    #[test]
    fn missing_and_wrong_fields_are_named() {
        let err = parse_json::<Vec<Item>>(br#"[{"title":"a","count":1},{"count":2}]"#).unwrap_err();
        let AppError::Invalid(errors) = err else { panic!("{err:?}") };
        assert_eq!(errors[0].field, "[1].title");
        let err = parse_json::<Item>(br#"{"title":"a","count":-1}"#).unwrap_err();
        let AppError::Invalid(errors) = err else { panic!("{err:?}") };
        assert_eq!(errors[0].field, "count");
        assert_eq!(errors[0].message, "Phải là số nguyên không âm.");
    }

    #[test]
    fn serde_wording_becomes_vietnamese() {
        assert_eq!(
            explain("unknown variant `foo`, expected `name` or `created`"),
            "Giá trị không nằm trong danh sách cho phép: name, created."
        );
        assert_eq!(explain("invalid digit found in string"), "Phải là số.");
    }

    #[test]
    fn broken_json_is_malformed() {
        assert!(matches!(parse_json::<Item>(b"{\"title\":"), Err(AppError::Malformed(_))));
        assert!(matches!(parse_json::<Item>(br#"{"title":"a","count":1} x"#), Err(AppError::Malformed(_))));
    }
}
