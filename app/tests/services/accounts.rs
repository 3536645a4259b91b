use app::{
    db_test,
    error::AppError,
    server::{
        entities::user,
        password::PasswordHasher,
        services::accounts::{LOCKOUT_ATTEMPTS, register, sign_in},
    },
};
use sea_orm::EntityTrait;

const PASSWORD: &str = "velvet lantern across quiet harbours";

fn hasher() -> PasswordHasher {
    PasswordHasher::new(2)
}

db_test!(registration_stores_a_normalised_email_and_an_owasp_argon2id_hash, |t| async move {
    let created = register(&t.db, &hasher(), " Ada Lovelace ", " Ada@Example.com ", PASSWORD).await.unwrap();
    let stored = user::Entity::find_by_id(created.id).one(&t.db).await.unwrap().unwrap();
    assert_eq!(stored.email, "ada@example.com");
    assert_eq!(stored.name, "Ada Lovelace");
    assert_eq!(stored.role, "customer");
    assert!(stored.password_hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{}", stored.password_hash);
    assert!(!stored.password_hash.contains(PASSWORD));
});

db_test!(an_email_registers_once_whatever_its_case, |t| async move {
    register(&t.db, &hasher(), "Ada", "ada@example.com", PASSWORD).await.unwrap();
    let err = register(&t.db, &hasher(), "Ada Again", "ADA@example.com", PASSWORD).await.unwrap_err();
    assert_eq!(err.status(), 409);
});

db_test!(weak_passwords_and_bad_fields_are_refused_by_field, |t| async move {
    let short = register(&t.db, &hasher(), "Ada", "ada@example.com", "tooshort").await.unwrap_err();
    assert!(matches!(short, AppError::Validation { ref field, .. } if field == "password"));
    let common = register(&t.db, &hasher(), "Ada", "ada@example.com", "passwordpassword123").await.unwrap_err();
    assert!(matches!(common, AppError::Validation { ref field, .. } if field == "password"));
    let email = register(&t.db, &hasher(), "Ada", "not-an-email", PASSWORD).await.unwrap_err();
    assert!(matches!(email, AppError::Validation { ref field, .. } if field == "email"));
    let name = register(&t.db, &hasher(), "  ", "ada@example.com", PASSWORD).await.unwrap_err();
    assert!(matches!(name, AppError::Validation { ref field, .. } if field == "name"));
});

db_test!(sign_in_accepts_the_right_password_and_one_message_covers_every_wrong_one, |t| async move {
    let created = register(&t.db, &hasher(), "Ada", "ada@example.com", PASSWORD).await.unwrap();
    let signed_in = sign_in(&t.db, &hasher(), "ADA@example.com ", PASSWORD, "192.0.2.1").await.unwrap();
    assert_eq!(signed_in.id, created.id);
    let wrong_password = sign_in(&t.db, &hasher(), "ada@example.com", "wrong password entirely", "192.0.2.1").await;
    let unknown_email = sign_in(&t.db, &hasher(), "nobody@example.com", PASSWORD, "192.0.2.1").await;
    assert_eq!(wrong_password.unwrap_err(), AppError::InvalidCredentials);
    assert_eq!(unknown_email.unwrap_err(), AppError::InvalidCredentials);
});

db_test!(the_eleventh_bad_attempt_is_rate_limited_even_with_the_right_password, |t| async move {
    register(&t.db, &hasher(), "Ada", "ada@example.com", PASSWORD).await.unwrap();
    for attempt in 1..=LOCKOUT_ATTEMPTS {
        let err = sign_in(&t.db, &hasher(), "ada@example.com", "guess", &format!("198.51.100.{attempt}")).await;
        assert_eq!(err.unwrap_err(), AppError::InvalidCredentials, "attempt {attempt}");
    }
    let locked = sign_in(&t.db, &hasher(), "ada@example.com", PASSWORD, "203.0.113.9").await.unwrap_err();
    match locked {
        AppError::RateLimited { retry_after_secs } => assert!((1..=15 * 60).contains(&retry_after_secs)),
        other => panic!("expected 429, got {other:?}"),
    }
    // Other accounts are unaffected.
    register(&t.db, &hasher(), "Grace", "grace@example.com", PASSWORD).await.unwrap();
    sign_in(&t.db, &hasher(), "grace@example.com", PASSWORD, "203.0.113.9").await.unwrap();
});

db_test!(a_successful_sign_in_clears_earlier_failures, |t| async move {
    register(&t.db, &hasher(), "Ada", "ada@example.com", PASSWORD).await.unwrap();
    for _ in 0..LOCKOUT_ATTEMPTS - 1 {
        let _ = sign_in(&t.db, &hasher(), "ada@example.com", "guess", "192.0.2.1").await;
    }
    sign_in(&t.db, &hasher(), "ada@example.com", PASSWORD, "192.0.2.1").await.unwrap();
    for _ in 0..LOCKOUT_ATTEMPTS - 1 {
        let err = sign_in(&t.db, &hasher(), "ada@example.com", "guess", "192.0.2.1").await.unwrap_err();
        assert_eq!(err, AppError::InvalidCredentials);
    }
});
