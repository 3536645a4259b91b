//! `migration [up|down|status|fresh] [-n STEPS]` against `DATABASE_URL`.
//!
//! The server applies pending migrations itself at start-up; this CLI is for operators.

use migration::{Migrator, MigratorTrait};
use sea_orm_migration::sea_orm::{ConnectOptions, Database};
use std::process::ExitCode;

const USAGE: &str = "usage: migration [up|down|status|fresh] [-n STEPS]\n\
    \n  up      apply pending migrations (all, or STEPS)\
    \n  down    revert the last migration (or STEPS)\
    \n  status  list migrations and whether each is applied\
    \n  fresh   drop every table and apply all migrations (destroys data)\
    \n\nThe database comes from DATABASE_URL (default: sqlite://data/cloudscale.db?mode=rwc).";

#[derive(Debug, PartialEq, Eq)]
enum Command {
    Up(Option<u32>),
    Down(Option<u32>),
    Status,
    Fresh,
}

fn parse(args: &[String]) -> Result<Command, String> {
    let (name, rest) = match args.split_first() {
        Some((name, rest)) => (name.as_str(), rest),
        None => ("up", &[][..]),
    };
    let steps = match rest {
        [] => None,
        [flag, n] if flag == "-n" || flag == "--num" => {
            Some(n.parse::<u32>().map_err(|_| format!("STEPS must be a whole number, got '{n}'"))?)
        }
        other => return Err(format!("unexpected arguments: {}", other.join(" "))),
    };
    match (name, steps) {
        ("up", steps) => Ok(Command::Up(steps)),
        ("down", steps) => Ok(Command::Down(steps.or(Some(1)))),
        ("status", None) => Ok(Command::Status),
        ("fresh", None) => Ok(Command::Fresh),
        ("status" | "fresh", Some(_)) => Err(format!("'{name}' takes no STEPS")),
        _ => Err(format!("unknown command '{name}'")),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let command = match parse(&args) {
        Ok(command) => command,
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| "sqlite://data/cloudscale.db?mode=rwc".to_owned());
    let mut options = ConnectOptions::new(url);
    options.sqlx_logging(false);
    let db = match Database::connect(options).await {
        Ok(db) => db,
        Err(err) => {
            eprintln!("error: cannot connect to the database: {err}");
            return ExitCode::FAILURE;
        }
    };
    let result = match command {
        Command::Up(steps) => Migrator::up(&db, steps).await,
        Command::Down(steps) => Migrator::down(&db, steps).await,
        Command::Fresh => Migrator::fresh(&db).await,
        Command::Status => match Migrator::get_migration_with_status(&db).await {
            Ok(migrations) => {
                for migration in migrations {
                    println!("{:<45} {}", migration.name(), migration.status());
                }
                Ok(())
            }
            Err(err) => Err(err),
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn no_arguments_means_apply_everything() {
        assert!(matches!(parse(&[]), Ok(Command::Up(None))));
    }

    #[test]
    fn down_reverts_one_step_unless_told_otherwise() {
        assert!(matches!(parse(&args("down")), Ok(Command::Down(Some(1)))));
        assert!(matches!(parse(&args("down -n 3")), Ok(Command::Down(Some(3)))));
    }

    #[test]
    fn bad_arguments_are_rejected_with_a_reason() {
        assert!(parse(&args("sideways")).unwrap_err().contains("unknown command"));
        assert!(parse(&args("up -n many")).unwrap_err().contains("whole number"));
        assert!(parse(&args("status -n 2")).unwrap_err().contains("takes no STEPS"));
    }
}
