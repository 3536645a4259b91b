//! Password rules (NIST SP 800-63B-4 for password-only accounts) and argon2id hashing with the
//! OWASP parameters, off the async threads and bounded so sign-in floods cannot starve the server.

use crate::domain::error::AppError;
use argon2::{
    Algorithm, Argon2, Params, PasswordHash, PasswordVerifier, Version,
    password_hash::{PasswordHasher as _, SaltString, rand_core::OsRng},
};
use std::sync::{Arc, OnceLock};
use tokio::sync::Semaphore;
use zxcvbn::{Score, zxcvbn};

pub const MIN_PASSWORD_CHARS: usize = 15;
/// Long passphrases are welcome; the cap only bounds hashing work.
pub const MAX_PASSWORD_CHARS: usize = 128;

/// OWASP: argon2id, m = 19 MiB, t = 2, p = 1.
pub const MEMORY_KIB: u32 = 19_456;
pub const ITERATIONS: u32 = 2;
pub const PARALLELISM: u32 = 1;

/// Length limits, then a strength estimate that knows the user's own name and email. No
/// composition rules: length and unpredictability are what count.
pub fn check_password(password: &str, user_inputs: &[&str]) -> Result<(), AppError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(AppError::validation(
            "password",
            format!("Use at least {MIN_PASSWORD_CHARS} characters; a few unrelated words work well."),
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(AppError::validation("password", format!("Use at most {MAX_PASSWORD_CHARS} characters.")));
    }
    let estimate = zxcvbn(password, user_inputs);
    if estimate.score() < Score::Three {
        let reason = estimate
            .feedback()
            .and_then(|feedback| feedback.warning())
            .map(|warning| warning.to_string())
            .unwrap_or_else(|| "This password is too easy to guess.".to_owned());
        return Err(AppError::validation("password", format!("{reason} Try a longer phrase of unrelated words.")));
    }
    Ok(())
}

fn argon2() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes and verifies on the blocking pool, at most `concurrency` at a time (each hash holds
/// 19 MiB and a core for tens of milliseconds).
#[derive(Clone, Debug)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
}

impl Default for PasswordHasher {
    fn default() -> Self {
        Self::new(std::thread::available_parallelism().map_or(2, usize::from))
    }
}

impl PasswordHasher {
    pub fn new(concurrency: usize) -> Self {
        Self { permits: Arc::new(Semaphore::new(concurrency.max(1))) }
    }

    /// A PHC string: `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`.
    pub async fn hash(&self, password: String) -> Result<String, AppError> {
        self.run(move || {
            let salt = SaltString::generate(&mut OsRng);
            argon2().hash_password(password.as_bytes(), &salt).map(|hash| hash.to_string()).map_err(|e| e.to_string())
        })
        .await
    }

    /// Checks a password against a stored hash. Without a stored hash (unknown email) it still
    /// verifies once against a fixed dummy, so response time does not reveal which emails exist.
    pub async fn verify(&self, password: String, stored: Option<String>) -> Result<bool, AppError> {
        self.run(move || {
            let known = stored.is_some();
            let phc = stored.unwrap_or_else(|| dummy_hash().to_owned());
            let parsed = PasswordHash::new(&phc).map_err(|e| e.to_string())?;
            let matches = argon2().verify_password(password.as_bytes(), &parsed).is_ok();
            Ok(known && matches)
        })
        .await
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, String> + Send + 'static,
    ) -> Result<T, AppError> {
        let _permit = self.permits.acquire().await.map_err(|e| AppError::internal("password hashing", e))?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| AppError::internal("password hashing task", e))?
            .map_err(|e| AppError::internal("password hashing", e))
    }
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        argon2().hash_password(b"no account has this password", &salt).expect("hashing a constant").to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_passwords_are_refused_with_the_minimum_named() {
        let err = check_password("fourteen chars", &[]).unwrap_err();
        assert!(err.to_string().contains("at least 15 characters"), "{err}");
    }

    #[test]
    fn common_or_personal_passwords_are_refused_with_a_reason() {
        assert!(check_password("passwordpassword", &[]).is_err());
        assert!(check_password("aaaaaaaaaaaaaaaaaaaa", &[]).is_err());
        // The account's own email as its password.
        let personal = check_password("ada.lovelace@example.com", &["Ada Lovelace", "ada.lovelace@example.com"]);
        assert!(personal.is_err());
    }

    #[test]
    fn long_passphrases_of_any_composition_are_accepted() {
        check_password("correct horse battery staple", &[]).unwrap();
        check_password(&"purple-otter-".repeat(9)[..117], &[]).unwrap();
        // No composition rules: lowercase letters and spaces only is fine.
        check_password("velvet lantern across quiet harbours", &[]).unwrap();
        assert!(check_password(&"x".repeat(129), &[]).is_err());
    }

    #[tokio::test]
    async fn hashes_use_argon2id_with_the_owasp_parameters_and_verify() {
        let hasher = PasswordHasher::new(1);
        let phc = hasher.hash("correct horse battery staple".into()).await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(hasher.verify("correct horse battery staple".into(), Some(phc.clone())).await.unwrap());
        assert!(!hasher.verify("correct horse battery stapler".into(), Some(phc)).await.unwrap());
        // An unknown account never verifies, even with the dummy's own password.
        assert!(!hasher.verify("no account has this password".into(), None).await.unwrap());
    }
}
