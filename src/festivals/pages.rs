//! HTML pages (Vietnamese, server-rendered, working without JavaScript).

use axum::Router;

use crate::app::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
}
