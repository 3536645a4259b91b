//! Content Security Policy, shared by the HTML shell (which knows the per-request nonce Leptos
//! puts on its scripts) and the server's header middleware (every other response).

/// The policy for one response. Scripts run only from this origin or with the page's nonce;
/// `'wasm-unsafe-eval'` lets the hydration bundle compile. In development the live-reload
/// websocket also needs `ws:`.
pub fn content_security_policy(nonce: Option<&str>, development: bool) -> String {
    let scripts = match nonce {
        Some(nonce) => format!("'self' 'nonce-{nonce}' 'wasm-unsafe-eval'"),
        None => "'self' 'wasm-unsafe-eval'".to_owned(),
    };
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
    fn the_policy_allows_the_nonce_and_wasm_but_no_plugins_framing_or_base_changes() {
        let policy = content_security_policy(Some("abc123"), false);
        assert!(policy.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval'"));
        for directive in ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"] {
            assert!(policy.contains(directive), "{directive}");
        }
        assert!(!policy.contains("unsafe-inline"));
        assert!(!policy.contains("ws:"));
        assert!(content_security_policy(None, true).contains("connect-src 'self' ws:"));
    }
}
