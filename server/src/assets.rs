//! Cache lifetimes for the built site's `pkg/` files.
//!
//! `cargo leptos build` (with `hash-files`) names each JS, wasm and CSS file after an MD5 of its
//! content (`cloudscale.<22 characters>.wasm`) and writes the hashes to `hash.txt` beside the
//! server binary, where Leptos reads them to link the right files. A fingerprinted file never
//! changes under its name, so browsers and a CDN may keep it for a year; any other file must be
//! revalidated, or a deploy would pair new pages with old code.

use axum::{
    extract::Request,
    http::{HeaderValue, header},
    middleware::Next,
    response::Response,
};
use std::path::{Path, PathBuf};

/// The name of the hash list cargo-leptos writes next to the server binary.
const HASH_FILE: &str = "hash.txt";

/// Length of cargo-leptos' content hash: an MD5 digest in unpadded base64url.
const FINGERPRINT_LEN: usize = 22;

const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");
const REVALIDATE: HeaderValue = HeaderValue::from_static("no-cache");

/// Where Leptos looks for the hash list: the folder of the running binary.
fn hash_file_path() -> Option<PathBuf> {
    std::env::current_exe().ok()?.parent().map(|dir| dir.join(HASH_FILE))
}

/// Whether this binary was built with fingerprinted files (its hash list is beside it).
pub fn site_is_fingerprinted() -> bool {
    hash_file_path().is_some_and(|path| path.is_file())
}

/// True when one of the name's dot-separated parts is a content hash, e.g.
/// `cloudscale.Lw3y1nW2bDqgJ0LZk7Xe8A.wasm` or `__wasm_split.Lw3y1nW2bDqgJ0LZk7Xe8A.js`.
pub fn is_fingerprinted(file_name: &str) -> bool {
    let mut parts = file_name.split('.');
    // The first part is the file's own name, never its hash.
    parts.next();
    parts.any(|part| {
        part.len() == FINGERPRINT_LEN
            && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            // wasm-split's loader is named with a placeholder until it is hashed.
            && part.bytes().any(|b| b != b'_')
    })
}

/// Sets `Cache-Control` on every successful `pkg/` response by its file name.
pub async fn pkg_cache_control(request: Request, next: Next) -> Response {
    let fingerprinted =
        Path::new(request.uri().path()).file_name().and_then(|name| name.to_str()).is_some_and(is_fingerprinted);
    let mut response = next.run(request).await;
    if response.status().is_success() || response.status().as_u16() == 304 {
        let value = if fingerprinted { IMMUTABLE } else { REVALIDATE };
        response.headers_mut().insert(header::CACHE_CONTROL, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_bundle_chunk_and_loader_names_are_fingerprinted() {
        for name in [
            "cloudscale.Lw3y1nW2bDqgJ0LZk7Xe8A.wasm",
            "cloudscale.Lw3y1nW2bDqgJ0LZk7Xe8A.js",
            "cloudscale.Lw3y1nW2bDqgJ0LZk7Xe8A.css",
            "split_draw_dashboard.a-b_c1234567890ABCDEFG.wasm",
            "__wasm_split.Lw3y1nW2bDqgJ0LZk7Xe8A.js",
            "__wasm_split_manifest.Lw3y1nW2bDqgJ0LZk7Xe8A.json",
        ] {
            assert!(is_fingerprinted(name), "{name}");
        }
    }

    #[test]
    fn plain_names_and_near_misses_are_not_fingerprinted() {
        for name in [
            "cloudscale.wasm",
            "cloudscale.js",
            "__wasm_split.______________________.js",
            "__wasm_split_manifest.json",
            // 21 and 23 characters.
            "cloudscale.Lw3y1nW2bDqgJ0LZk7Xe8.wasm",
            "cloudscale.Lw3y1nW2bDqgJ0LZk7Xe8AB.wasm",
            // A long base name alone is not a hash.
            "abcdefghijklmnopqrstuv.js",
            "cloudscale.Lw3y1nW2bDq+J0LZk7Xe8A.wasm",
        ] {
            assert!(!is_fingerprinted(name), "{name}");
        }
    }
}
