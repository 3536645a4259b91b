//! Content Security Policy for every response. A page's inline scripts are named by their
//! SHA-256 (see the server's security headers), never by a per-response nonce, so a page cached
//! for every signed-out visitor carries a policy valid for each of them.

/// The policy for one response. Scripts run only from this origin or when their hash is listed;
/// `'wasm-unsafe-eval'` lets the islands' bundle compile. In development the live-reload
/// websocket also needs `ws:`.
pub fn content_security_policy(script_hashes: &[String], development: bool) -> String {
    let mut scripts = "'self'".to_owned();
    for hash in script_hashes {
        scripts.push(' ');
        scripts.push_str(hash);
    }
    scripts.push_str(" 'wasm-unsafe-eval'");
    let connect = if development { "'self' ws:" } else { "'self'" };
    format!(
        "default-src 'self'; script-src {scripts}; style-src 'self'; img-src 'self' data:; font-src 'self'; \
         connect-src {connect}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
}

#[cfg(test)]
mod tests {
    use super::content_security_policy;

    #[test]
    fn the_policy_allows_the_hashed_scripts_and_wasm_but_no_plugins_framing_or_base_changes() {
        let policy = content_security_policy(&["'sha256-abc='".to_owned()], false);
        assert!(policy.contains("script-src 'self' 'sha256-abc=' 'wasm-unsafe-eval'"));
        for directive in ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"] {
            assert!(policy.contains(directive), "{directive}");
        }
        assert!(!policy.contains("unsafe-inline"));
        assert!(!policy.contains("nonce"));
        assert!(!policy.contains("ws:"));
        assert!(content_security_policy(&[], true).contains("connect-src 'self' ws:"));
    }
}
