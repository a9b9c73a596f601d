//! `/verify/{code}`, without login: anyone holding a certificate or an invitation opens the
//! link of its QR code and sees whether it is valid, and nothing personal beyond the printed
//! name (Decree 13/2023). An unknown code is the 404 error page.

use axum::extract::State;
use axum::response::Response;
use minijinja::context;

use crate::app::AppState;
use crate::commendation::verify;
use crate::error::AppResult;
use crate::web::client_ip::ClientIp;
use crate::web::extract::ApiPath;
use crate::web::pages::render;

/// Rate-limited per address like the API's look-up (`PUBLIC_RATE_LIMIT` a minute), so codes
/// cannot be tried in bulk.
pub(super) async fn show(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiPath(code): ApiPath<String>,
) -> AppResult<Response> {
    if let Some(limit) = &state.public_rate_limit {
        limit.check(ip)?;
    }
    let verification = verify::verify(&state.db, &code).await?;
    render(&state, "commendation/verify.html", context! { verification })
}
