//! The brand's images over plain HTTP: `POST /org/brand/{logo|favicon}` takes one (the
//! settings page's multipart form, or the file as the body) from an organisation owner
//! or admin, and `GET /brand/{sha256}.png` serves the host's organisation's own, named by
//! content so it is cached for good and a new one is a new address.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::model::BrandImage;
use crate::access::guard::partner_for_request;
use crate::access::permission::PartnerPermission;
use crate::components::toast::{flash_cookie, see_other};
use crate::error::AppError;
use crate::state::AppState;
use crate::tenancy::service::CurrentPartner;
use crate::upload::{file_bytes, wants_html};

const PAGE: &str = "/org/settings";

/// Images prepared at once on this server; others wait their turn (up to 10 s).
static PREPARING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

pub async fn upload(
    State(state): State<AppState>,
    Path(kind): Path<String>,
    request: axum::extract::Request,
) -> Response {
    let html = wants_html(request.headers());
    let (parts, body) = request.into_parts();
    let result = async {
        let ctx = partner_for_request(&parts, PartnerPermission::BrandingUpdate)?;
        let kind =
            BrandImage::parse(&kind).ok_or_else(|| AppError::not_found("That kind of image"))?;
        let bytes = file_bytes(parts, body, "Choose an image file.").await?;
        let _turn = tokio::time::timeout(std::time::Duration::from_secs(10), PREPARING.acquire())
            .await
            .map_err(|_| AppError::busy("preparing other images", 5))?
            .map_err(AppError::internal)?;
        let picture = tokio::task::spawn_blocking(move || super::images::prepare(&bytes, kind))
            .await
            .map_err(|e| AppError::internal(format!("reading the image failed: {e}")))??;
        let txn = crate::db::begin_write(&state.db).await?;
        let url = super::brand::store_image(&txn, &ctx, kind, picture).await?;
        txn.commit().await?;
        state.partners.invalidate();
        Ok::<_, AppError>((kind, url))
    }
    .await;
    match result {
        Ok((kind, _)) if html => {
            let message = format!("{} saved. Your pages show it now.", kind.label());
            see_other(PAGE, Some(&flash_cookie(&message)))
        }
        Ok((_, url)) => axum::Json(serde_json::json!({ "url": url })).into_response(),
        Err(e) if html && e.status() == 401 => see_other("/login", None),
        Err(e) if html && e.status() == 422 => {
            let message = format!("The image was not saved: {}", e.reason());
            see_other(PAGE, Some(&flash_cookie(&message)))
        }
        Err(e) => {
            let status =
                StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, axum::Json(e)).into_response()
        }
    }
}

pub async fn serve(
    State(state): State<AppState>,
    Path(file): Path<String>,
    request: axum::extract::Request,
) -> Response {
    let not_found = || (StatusCode::NOT_FOUND, "No such image.").into_response();
    let Some(sha) = file
        .strip_suffix(".png")
        .filter(|s| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()))
    else {
        return not_found();
    };
    let Some(partner) = request.extensions().get::<CurrentPartner>() else {
        return not_found();
    };
    match super::brand::image(&state.db, partner.0.id, &sha.to_ascii_lowercase()).await {
        Ok(Some(asset)) => {
            let mut response = asset.bytes.into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            );
            headers.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; sandbox"),
            );
            response
        }
        Ok(None) => not_found(),
        Err(e) => {
            tracing::error!(error = %e, "brand image read failed");
            (StatusCode::SERVICE_UNAVAILABLE, "Try again shortly.").into_response()
        }
    }
}
