use crate::config::Environment;
use tracing_subscriber::{EnvFilter, fmt, prelude::*};

/// Installs the global subscriber: readable lines in dev, JSON (one object per line) in prod.
pub fn init(environment: Environment, filter: &str) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|err| {
        eprintln!("warning: RUST_LOG={filter:?} is not a valid filter ({err}); using \"info\"");
        EnvFilter::new("info")
    });
    let registry = tracing_subscriber::registry().with(filter);
    let result = match environment {
        Environment::Prod => registry.with(fmt::layer().json().flatten_event(true).with_current_span(true)).try_init(),
        Environment::Dev => registry
            .with(fmt::layer().compact().with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout())))
            .try_init(),
    };
    // A second init (tests) keeps the first subscriber.
    let _ = result;
}
