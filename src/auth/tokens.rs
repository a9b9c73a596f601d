//! Login tokens: 256 random bits given to the client once, stored only as their SHA-256, with
//! an expiry, revocable. API clients send them as `Authorization: Bearer …`; browsers keep
//! them in the HttpOnly session cookie. One mechanism, shared by every app instance through
//! the database.

use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

use crate::entities::{auth_token, user};

/// Who holds a token; decides its lifetime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// `POST /api/v1/auth/login`: valid 24 hours.
    Api,
    /// The login page's session cookie: valid 12 hours, a working day.
    Web,
}

impl TokenKind {
    fn code(self) -> &'static str {
        match self {
            Self::Api => "api",
            Self::Web => "web",
        }
    }

    fn lifetime(self) -> Duration {
        match self {
            Self::Api => Duration::hours(24),
            Self::Web => Duration::hours(12),
        }
    }
}

/// SHA-256 of the secret, hex: what the database keeps.
pub fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Creates a token for `user_id`, forgetting the user's expired and revoked ones; returns the
/// secret (shown once) and its expiry.
pub async fn issue(
    db: &impl ConnectionTrait,
    user_id: i32,
    kind: TokenKind,
) -> Result<(String, DateTime<Utc>), sea_orm::DbErr> {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret = hex::encode(bytes);
    let now = Utc::now();
    let expires_at = now + kind.lifetime();
    // Each login clears the user's dead tokens, so the table stays the size of live logins.
    auth_token::Entity::delete_many()
        .filter(auth_token::Column::UserId.eq(user_id))
        .filter(
            Condition::any()
                .add(auth_token::Column::ExpiresAt.lt(now))
                .add(auth_token::Column::RevokedAt.is_not_null()),
        )
        .exec(db)
        .await?;
    auth_token::ActiveModel {
        user_id: Set(user_id),
        token_hash: Set(digest(&secret)),
        kind: Set(kind.code().to_owned()),
        created_at: Set(now),
        expires_at: Set(expires_at),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok((secret, expires_at))
}

/// The enabled user holding an unexpired, unrevoked token with this secret.
pub async fn holder(db: &impl ConnectionTrait, secret: &str) -> Result<Option<user::Model>, sea_orm::DbErr> {
    let found = auth_token::Entity::find()
        .filter(auth_token::Column::TokenHash.eq(digest(secret)))
        .filter(auth_token::Column::RevokedAt.is_null())
        .filter(auth_token::Column::ExpiresAt.gt(Utc::now()))
        .find_also_related(user::Entity)
        .one(db)
        .await?;
    Ok(found.and_then(|(_, user)| user).filter(|user| !user.disabled))
}

/// Revokes the token with this secret (logout); unknown secrets are ignored.
pub async fn revoke(db: &impl ConnectionTrait, secret: &str) -> Result<(), sea_orm::DbErr> {
    auth_token::Entity::update_many()
        .col_expr(auth_token::Column::RevokedAt, sea_orm::sea_query::Expr::value(Utc::now()))
        .filter(auth_token::Column::TokenHash.eq(digest(secret)))
        .filter(auth_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Revokes every token of a user (disabled, or password changed).
pub async fn revoke_all(db: &impl ConnectionTrait, user_id: i32) -> Result<(), sea_orm::DbErr> {
    auth_token::Entity::update_many()
        .col_expr(auth_token::Column::RevokedAt, sea_orm::sea_query::Expr::value(Utc::now()))
        .filter(auth_token::Column::UserId.eq(user_id))
        .filter(auth_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
