//! Product images uploaded in the admin: `POST /admin/products/<id>/image` (multipart, admins
//! only). The type is read from the file's own bytes, not its name or the browser's claim; the
//! size is capped; the file gets a random name under `UPLOAD_DIR/products/` and is served back
//! from `/uploads/products/`. The form works without JavaScript: every outcome is a redirect
//! back to the product's editor, with `?image=saved` or `?image_error=<code>`.

use app::{
    domain::admin::MAX_IMAGE_BYTES,
    server::{auth::AuthSession, services::admin_catalog},
};
use axum::http::StatusCode;
use axum::{
    extract::{Multipart, Path, State, multipart::MultipartError},
    response::{IntoResponse, Redirect, Response},
};
use sea_orm::DatabaseConnection;
use std::path::PathBuf;

#[derive(Clone)]
pub struct UploadState {
    pub db: DatabaseConnection,
    pub dir: PathBuf,
}

/// What a file's first bytes say it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageKind {
    Png,
    Jpeg,
    Webp,
    Gif,
}

impl ImageKind {
    pub fn extension(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Jpeg => "jpg",
            Self::Webp => "webp",
            Self::Gif => "gif",
        }
    }
}

fn be16(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_be_bytes(bytes.get(at..at + 2)?.try_into().ok()?)))
}

fn le16(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?)))
}

fn le24(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at + 3)?;
    Some(u32::from(b[0]) | u32::from(b[1]) << 8 | u32::from(b[2]) << 16)
}

/// The kind and pixel size of a PNG, JPEG, WebP or GIF, read from its header; `None` for
/// anything else (SVG included: it can carry script).
pub fn sniff_image(bytes: &[u8]) -> Option<(ImageKind, u32, u32)> {
    let (kind, width, height) = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.get(12..16) == Some(b"IHDR") {
        let width = u32::from_be_bytes(bytes.get(16..20)?.try_into().ok()?);
        let height = u32::from_be_bytes(bytes.get(20..24)?.try_into().ok()?);
        (ImageKind::Png, width, height)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        (ImageKind::Gif, le16(bytes, 6)?, le16(bytes, 8)?)
    } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        match bytes.get(12..16)? {
            b"VP8 " => (ImageKind::Webp, le16(bytes, 26)? & 0x3fff, le16(bytes, 28)? & 0x3fff),
            b"VP8L" => {
                let bits = u32::from_le_bytes(bytes.get(21..25)?.try_into().ok()?);
                (ImageKind::Webp, (bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1)
            }
            b"VP8X" => (ImageKind::Webp, le24(bytes, 24)? + 1, le24(bytes, 27)? + 1),
            _ => return None,
        }
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        let (width, height) = jpeg_size(bytes)?;
        (ImageKind::Jpeg, width, height)
    } else {
        return None;
    };
    (width > 0 && height > 0 && width <= 20_000 && height <= 20_000).then_some((kind, width, height))
}

/// Walks the JPEG segments to the first start-of-frame marker, which holds the size.
fn jpeg_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let mut at = 2;
    loop {
        while *bytes.get(at)? == 0xff && *bytes.get(at + 1)? == 0xff {
            at += 1;
        }
        if *bytes.get(at)? != 0xff {
            return None;
        }
        let marker = *bytes.get(at + 1)?;
        let length = be16(bytes, at + 2)? as usize;
        let is_frame = matches!(marker, 0xc0..=0xcf) && !matches!(marker, 0xc4 | 0xc8 | 0xcc);
        if is_frame {
            return Some((be16(bytes, at + 7)?, be16(bytes, at + 5)?));
        }
        if length < 2 {
            return None;
        }
        at += 2 + length;
    }
}

fn back(id: i32, outcome: &str) -> Response {
    Redirect::to(&format!("/admin/products/{id}?{outcome}")).into_response()
}

/// The upload form's target. Non-admins get 404, as for every admin page.
pub async fn upload_product_image(
    State(state): State<UploadState>,
    auth: AuthSession,
    Path(id): Path<i32>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let Some(admin) = auth.user.filter(|user| user.is_admin()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Ok(mut multipart) = multipart else { return back(id, "image_error=missing") };
    let bytes = loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("image") => match field.bytes().await {
                Ok(bytes) => break bytes,
                Err(err) => return multipart_failure(id, &err),
            },
            Ok(Some(_)) => continue,
            Ok(None) => return back(id, "image_error=missing"),
            Err(err) => return multipart_failure(id, &err),
        }
    };
    if bytes.is_empty() {
        return back(id, "image_error=missing");
    }
    if bytes.len() > MAX_IMAGE_BYTES {
        return back(id, "image_error=too_large");
    }
    let Some((kind, width, height)) = sniff_image(&bytes) else {
        return back(id, "image_error=unsupported");
    };
    let name = format!("{}.{}", uuid::Uuid::new_v4().simple(), kind.extension());
    let folder = state.dir.join("products");
    let stored = async {
        tokio::fs::create_dir_all(&folder).await?;
        // Written under a temporary name, then renamed: a half-written file is never served.
        let temporary = folder.join(format!(".{name}.part"));
        tokio::fs::write(&temporary, &bytes).await?;
        tokio::fs::rename(&temporary, folder.join(&name)).await
    };
    if let Err(err) = stored.await {
        tracing::error!(%err, folder = %folder.display(), "could not store an uploaded image");
        return back(id, "image_error=failed");
    }
    let path = format!("/uploads/products/{name}");
    match admin_catalog::set_image(&state.db, id, &path, width, height).await {
        Ok(()) => {
            tracing::info!(admin_id = admin.id, product_id = id, %path, width, height, "product image uploaded");
            back(id, "image=saved")
        }
        Err(error) => {
            // The product is gone (or the database failed): the file would be served for nothing.
            if let Err(err) = tokio::fs::remove_file(folder.join(&name)).await {
                tracing::warn!(%err, "could not remove an unused upload");
            }
            match error {
                app::domain::error::AppError::NotFound { .. } => StatusCode::NOT_FOUND.into_response(),
                _ => back(id, "image_error=failed"),
            }
        }
    }
}

fn multipart_failure(id: i32, err: &MultipartError) -> Response {
    if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return back(id, "image_error=too_large");
    }
    tracing::warn!(%err, "unreadable image upload");
    back(id, "image_error=missing")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        bytes.extend(width.to_be_bytes());
        bytes.extend(height.to_be_bytes());
        bytes.extend([8, 6, 0, 0, 0]);
        bytes
    }

    #[test]
    fn png_gif_and_webp_sizes_come_from_their_headers() {
        assert_eq!(sniff_image(&png(640, 480)), Some((ImageKind::Png, 640, 480)));
        let gif = [b"GIF89a".as_slice(), &[0x80, 0x02, 0xe0, 0x01], &[0; 6]].concat();
        assert_eq!(sniff_image(&gif), Some((ImageKind::Gif, 640, 480)));
        // VP8X: 24-bit width-1 and height-1 at offsets 24 and 27.
        let mut webp = b"RIFF\0\0\0\0WEBPVP8X".to_vec();
        webp.extend([0; 8]);
        webp.extend([0x7f, 0x02, 0x00, 0xdf, 0x01, 0x00]);
        assert_eq!(sniff_image(&webp), Some((ImageKind::Webp, 640, 480)));
    }

    #[test]
    fn a_jpeg_size_is_found_past_its_other_segments() {
        let mut jpeg = vec![0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00];
        jpeg.extend([0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0xe0, 0x02, 0x80, 0x03]);
        assert_eq!(sniff_image(&jpeg), Some((ImageKind::Jpeg, 640, 480)));
    }

    #[test]
    fn svg_html_truncated_and_absurd_images_are_refused() {
        assert_eq!(sniff_image(b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>"), None);
        assert_eq!(sniff_image(b"<html>"), None);
        assert_eq!(sniff_image(&png(640, 480)[..18]), None);
        assert_eq!(sniff_image(&png(0, 480)), None);
        assert_eq!(sniff_image(&png(100_000, 10)), None);
        assert_eq!(sniff_image(&[0xff, 0xd8, 0xff, 0xe0, 0x00, 0x01]), None);
    }
}
