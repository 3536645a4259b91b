use server::{Application, Settings, config::VARIABLES, shutdown_signal, telemetry};
use std::process::ExitCode;

// Rendering allocates many short-lived strings; see server/Cargo.toml for the A/B behind this.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn usage() -> String {
    let mut text = String::from(
        "usage: server [serve]\n       server create-admin --email EMAIL [--name NAME]\n       \
         server healthcheck [--ready]\n       server backup --to FILE\n\n\
         Runs the CloudScale Commerce shop. create-admin creates or promotes an admin account\n\
         (password from ADMIN_PASSWORD, or one line on standard input) and exits. healthcheck\n\
         asks the server at LEPTOS_SITE_ADDR for /healthz (or /readyz) and exits 0 when it\n\
         answers 200, 1 otherwise: the container's HEALTHCHECK, which needs no curl. backup\n\
         copies the SQLite database at DATABASE_URL to FILE (a new file) while the shop runs.\n\n\
         Configuration comes from the environment:\n\n",
    );
    for (name, default, meaning) in VARIABLES {
        text.push_str(&format!("  {name:<24} default {default:<40} {meaning}\n"));
    }
    text
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut admin = None;
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        [] | ["serve"] => {}
        ["create-admin", rest @ ..] => match parse_admin_args(rest) {
            Ok(parsed) => admin = Some(parsed),
            Err(message) => {
                eprintln!("error: {message}\n\n{}", usage());
                return ExitCode::from(2);
            }
        },
        ["backup", "--to", file] => return backup(file),
        ["backup", ..] => {
            eprintln!("error: backup needs --to FILE\n\n{}", usage());
            return ExitCode::from(2);
        }
        ["healthcheck"] => return healthcheck("/healthz"),
        ["healthcheck", "--ready"] => return healthcheck("/readyz"),
        ["-h" | "--help" | "help"] => {
            print!("{}", usage());
            return ExitCode::SUCCESS;
        }
        other => {
            eprintln!("error: unknown arguments: {}\n\n{}", other.join(" "), usage());
            return ExitCode::from(2);
        }
    }

    // create-admin takes its account from the command line; ADMIN_PASSWORD there is its
    // password, not half of a start-up bootstrap.
    let settings = if admin.is_some() {
        Settings::from_lookup(|var| if var.starts_with("ADMIN_") { None } else { std::env::var(var).ok() })
    } else {
        Settings::from_env()
    };
    let settings = match settings {
        Ok(settings) => settings,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(settings.environment, &settings.log_filter);

    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    if let Some((email, name)) = admin {
        return runtime.block_on(create_admin(settings, email, name));
    }
    runtime.block_on(async {
        let app = match Application::build(settings).await {
            Ok(app) => app,
            Err(err) => {
                tracing::error!(error = %err, "start-up failed");
                return ExitCode::FAILURE;
            }
        };
        match app.run_until_stopped(shutdown_signal()).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                tracing::error!(error = %err, "server failed");
                ExitCode::FAILURE
            }
        }
    })
}

/// Probes the local server on the port it was configured with; reads nothing else, so it
/// works whatever the rest of the configuration holds.
fn healthcheck(path: &str) -> ExitCode {
    let addr = std::env::var("LEPTOS_SITE_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".to_owned());
    let addr = match addr.trim().parse() {
        Ok(addr) => addr,
        Err(_) => {
            eprintln!("error: LEPTOS_SITE_ADDR={addr:?} is not an address such as 0.0.0.0:8080");
            return ExitCode::from(2);
        }
    };
    match server::health::probe(addr, path, std::time::Duration::from_secs(3)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("unhealthy: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Copies the SQLite database while the shop keeps serving; reads only DATABASE_URL, so it
/// runs beside a server whatever the rest of the configuration holds.
fn backup(file: &str) -> ExitCode {
    let url = std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| app::server::database::DatabaseSettings::DEFAULT_URL.to_owned());
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(app::server::backup::backup_sqlite(&url, std::path::Path::new(file))) {
        Ok(report) => {
            println!("backed up {} bytes to {}", report.bytes, report.path.display());
            ExitCode::SUCCESS
        }
        Err(
            err @ (app::server::backup::BackupError::NotSqlite | app::server::backup::BackupError::TargetExists(_)),
        ) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

/// `--email E [--name N]`.
fn parse_admin_args(args: &[&str]) -> Result<(String, String), String> {
    let (mut email, mut name) = (None, None);
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let value = rest.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match *flag {
            "--email" => email = Some((*value).to_owned()),
            "--name" => name = Some((*value).to_owned()),
            other => return Err(format!("unknown option {other}")),
        }
    }
    let email = email.ok_or("create-admin needs --email")?;
    Ok((email, name.unwrap_or_else(|| "Administrator".to_owned())))
}

async fn create_admin(settings: server::Settings, email: String, name: String) -> ExitCode {
    let password = match std::env::var("ADMIN_PASSWORD") {
        Ok(password) if !password.is_empty() => password,
        _ => {
            eprintln!("Password for {email} (15+ characters), then Enter:");
            let mut line = String::new();
            if std::io::stdin().read_line(&mut line).is_err() {
                eprintln!("error: could not read the password");
                return ExitCode::FAILURE;
            }
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    match server::startup::create_admin(&settings, &name, &email, &password).await {
        Ok(user_id) => {
            println!("admin account {email} is ready (user id {user_id})");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
