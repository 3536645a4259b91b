use app::server::testing::TEST_PASSWORD;
use app::{
    db_test,
    domain::{accounts::Role, error::AppError},
    server::{
        entities::user,
        password::PasswordHasher,
        services::accounts::{
            LOCKOUT_ATTEMPTS, change_email, change_password, ensure_admin, profile, register, sign_in, update_profile,
        },
    },
};
use sea_orm::EntityTrait;

fn hasher() -> PasswordHasher {
    PasswordHasher::new(2)
}

db_test!(registration_stores_a_normalised_email_and_an_owasp_argon2id_hash, |t| async move {
    let created = register(&t.db, &hasher(), " Ada Lovelace ", " Ada@Example.com ", TEST_PASSWORD).await.unwrap();
    let stored = user::Entity::find_by_id(created.id).one(&t.db).await.unwrap().unwrap();
    assert_eq!(stored.email, "ada@example.com");
    assert_eq!(stored.name, "Ada Lovelace");
    assert_eq!(stored.role, Role::Customer);
    assert!(stored.password_hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{}", stored.password_hash);
    assert!(!stored.password_hash.contains(TEST_PASSWORD));
});

db_test!(an_email_registers_once_whatever_its_case, |t| async move {
    register(&t.db, &hasher(), "Ada", "ada@example.com", TEST_PASSWORD).await.unwrap();
    let err = register(&t.db, &hasher(), "Ada Again", "ADA@example.com", TEST_PASSWORD).await.unwrap_err();
    assert_eq!(err.status(), 409);
});

db_test!(weak_passwords_and_bad_fields_are_refused_by_field, |t| async move {
    let short = register(&t.db, &hasher(), "Ada", "ada@example.com", "tooshort").await.unwrap_err();
    assert!(matches!(short, AppError::Validation { ref field, .. } if field == "password"));
    let common = register(&t.db, &hasher(), "Ada", "ada@example.com", "passwordpassword123").await.unwrap_err();
    assert!(matches!(common, AppError::Validation { ref field, .. } if field == "password"));
    let email = register(&t.db, &hasher(), "Ada", "not-an-email", TEST_PASSWORD).await.unwrap_err();
    assert!(matches!(email, AppError::Validation { ref field, .. } if field == "email"));
    let name = register(&t.db, &hasher(), "  ", "ada@example.com", TEST_PASSWORD).await.unwrap_err();
    assert!(matches!(name, AppError::Validation { ref field, .. } if field == "name"));
});

db_test!(sign_in_accepts_the_right_password_and_one_message_covers_every_wrong_one, |t| async move {
    let created = register(&t.db, &hasher(), "Ada", "ada@example.com", TEST_PASSWORD).await.unwrap();
    let signed_in = sign_in(&t.db, &hasher(), "ADA@example.com ", TEST_PASSWORD, "192.0.2.1").await.unwrap();
    assert_eq!(signed_in.id, created.id);
    let wrong_password = sign_in(&t.db, &hasher(), "ada@example.com", "wrong password entirely", "192.0.2.1").await;
    let unknown_email = sign_in(&t.db, &hasher(), "nobody@example.com", TEST_PASSWORD, "192.0.2.1").await;
    assert_eq!(wrong_password.unwrap_err(), AppError::InvalidCredentials);
    assert_eq!(unknown_email.unwrap_err(), AppError::InvalidCredentials);
});

db_test!(the_eleventh_bad_attempt_is_rate_limited_even_with_the_right_password, |t| async move {
    register(&t.db, &hasher(), "Ada", "ada@example.com", TEST_PASSWORD).await.unwrap();
    for attempt in 1..=LOCKOUT_ATTEMPTS {
        let err = sign_in(&t.db, &hasher(), "ada@example.com", "guess", &format!("198.51.100.{attempt}")).await;
        assert_eq!(err.unwrap_err(), AppError::InvalidCredentials, "attempt {attempt}");
    }
    let locked = sign_in(&t.db, &hasher(), "ada@example.com", TEST_PASSWORD, "203.0.113.9").await.unwrap_err();
    match locked {
        AppError::RateLimited { retry_after_secs } => assert!((1..=15 * 60).contains(&retry_after_secs)),
        other => panic!("expected 429, got {other:?}"),
    }
    // Other accounts are unaffected.
    register(&t.db, &hasher(), "Grace", "grace@example.com", TEST_PASSWORD).await.unwrap();
    sign_in(&t.db, &hasher(), "grace@example.com", TEST_PASSWORD, "203.0.113.9").await.unwrap();
});

db_test!(a_successful_sign_in_clears_earlier_failures, |t| async move {
    register(&t.db, &hasher(), "Ada", "ada@example.com", TEST_PASSWORD).await.unwrap();
    for _ in 0..LOCKOUT_ATTEMPTS - 1 {
        let _ = sign_in(&t.db, &hasher(), "ada@example.com", "guess", "192.0.2.1").await;
    }
    sign_in(&t.db, &hasher(), "ada@example.com", TEST_PASSWORD, "192.0.2.1").await.unwrap();
    for _ in 0..LOCKOUT_ATTEMPTS - 1 {
        let err = sign_in(&t.db, &hasher(), "ada@example.com", "guess", "192.0.2.1").await.unwrap_err();
        assert_eq!(err, AppError::InvalidCredentials);
    }
});

db_test!(profile_edits_are_validated_and_saved, |t| async move {
    let ada = register(&t.db, &hasher(), "Ada", "ada@example.com", TEST_PASSWORD).await.unwrap();
    let saved = update_profile(&t.db, ada.id, " Ada Byron ", "+44 20 7946 0958").await.unwrap();
    assert_eq!((saved.name.as_str(), saved.phone.as_deref()), ("Ada Byron", Some("+44 20 7946 0958")));
    let err = update_profile(&t.db, ada.id, "Ada", "call me").await.unwrap_err();
    assert!(matches!(err, AppError::Validation { ref field, .. } if field == "phone"));
    assert_eq!(profile(&t.db, ada.id).await.unwrap().name, "Ada Byron", "a refused edit changes nothing");
});

db_test!(changing_the_email_needs_the_current_password_and_a_free_address, |t| async move {
    let ada = register(&t.db, &hasher(), "Ada", "ada@example.com", TEST_PASSWORD).await.unwrap();
    register(&t.db, &hasher(), "Grace", "grace@example.com", TEST_PASSWORD).await.unwrap();
    let wrong = change_email(&t.db, &hasher(), ada.id, "ada@new.example", "not my password").await.unwrap_err();
    assert!(matches!(wrong, AppError::Validation { ref field, .. } if field == "current_password"));
    let taken = change_email(&t.db, &hasher(), ada.id, "GRACE@example.com", TEST_PASSWORD).await.unwrap_err();
    assert!(matches!(taken, AppError::Validation { ref field, .. } if field == "email"));
    let pending = change_email(&t.db, &hasher(), ada.id, "Ada@New.Example", TEST_PASSWORD).await.unwrap();
    assert_eq!(pending.as_deref(), Some("ada@new.example"));
    // Until the new address is confirmed (see account_mail), the old one still signs in.
    sign_in(&t.db, &hasher(), "ada@example.com", TEST_PASSWORD, "192.0.2.1").await.unwrap();
    assert_eq!(change_email(&t.db, &hasher(), ada.id, "ada@example.com", TEST_PASSWORD).await.unwrap(), None);
    assert_eq!(profile(&t.db, ada.id).await.unwrap().pending_email, None, "asking for the same address cancels");
});

db_test!(changing_the_password_checks_the_old_one_and_the_rules, |t| async move {
    let ada = register(&t.db, &hasher(), "Ada", "ada@example.com", TEST_PASSWORD).await.unwrap();
    let wrong = change_password(&t.db, &hasher(), ada.id, "not my password", "orchard kettle under silver rain").await;
    assert!(matches!(wrong.unwrap_err(), AppError::Validation { ref field, .. } if field == "current_password"));
    let weak = change_password(&t.db, &hasher(), ada.id, TEST_PASSWORD, "short").await.unwrap_err();
    assert!(matches!(weak, AppError::Validation { ref field, .. } if field == "new_password"));
    let updated =
        change_password(&t.db, &hasher(), ada.id, TEST_PASSWORD, "orchard kettle under silver rain").await.unwrap();
    assert_ne!(updated.password_hash, ada.password_hash);
    assert!(sign_in(&t.db, &hasher(), "ada@example.com", TEST_PASSWORD, "192.0.2.1").await.is_err());
    sign_in(&t.db, &hasher(), "ada@example.com", "orchard kettle under silver rain", "192.0.2.1").await.unwrap();
});

db_test!(an_admin_is_created_or_promoted_from_the_command_line, |t| async move {
    let ada = register(&t.db, &hasher(), "Ada", "ada@example.com", TEST_PASSWORD).await.unwrap();
    assert_eq!(ada.role, Role::Customer);
    let promoted = ensure_admin(&t.db, &hasher(), "Ada", "ada@example.com", TEST_PASSWORD).await.unwrap();
    assert_eq!((promoted.id, promoted.role), (ada.id, Role::Admin));
    let created = ensure_admin(&t.db, &hasher(), "Ops", "ops@example.com", TEST_PASSWORD).await.unwrap();
    assert_eq!(created.role, Role::Admin);
    assert!(ensure_admin(&t.db, &hasher(), "Ops", "ops2@example.com", "short").await.is_err());
});
