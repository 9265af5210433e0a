//! `users-api`: serve the API, migrate, export the OpenAPI document, and
//! manage data from the command line.

use std::net::TcpListener;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use users_api::config::Config;
use users_api::db::{self, activity, users, Db, PoolOptions};
use users_api::email::worker::{self, Worker};
use users_api::reminders::{ReminderSettings, Reminders};
use users_api::state::AppState;
use users_api::sweep::{SweepSettings, Sweeper};
use users_api::time::Timestamp;
use users_api::usage::UsageFlusher;
use users_api::{app, router, seed, telemetry};

/// mimalloc rather than glibc's malloc: a request allocates and frees many
/// small buffers across the server's threads. Page 1 ran faster with it in
/// seven of seven alternating runs (BENCHMARKS.md, "What was changed to get here").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "users-api", version, about = "User administration for the Register of training providers")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API, Swagger UI and the SPA (migrates first unless told not to).
    Serve {
        /// Do not apply pending migrations at start.
        #[arg(long)]
        no_migrate: bool,
        /// Worker threads (default: one per CPU).
        #[arg(long)]
        workers: Option<usize>,
    },
    /// Apply pending migrations and exit.
    Migrate,
    /// Print the OpenAPI document (as committed in openapi/openapi.json).
    Openapi,
    /// Add a user, such as the first support user.
    CreateUser {
        #[arg(long)]
        first_name: String,
        #[arg(long)]
        last_name: String,
        #[arg(long)]
        email: String,
        /// Make the account an API user.
        #[arg(long, conflicts_with = "role")]
        api_user: bool,
        /// A support user's role: viewer, editor or administrator.
        #[arg(long, default_value = "administrator", value_parser = ["viewer", "editor", "administrator"])]
        role: String,
    },
    /// Remove activity older than ACTIVITY_RETENTION_DAYS (nothing when unset).
    PruneActivity,
    /// Add development personas and/or bulk users.
    Seed {
        /// Add the development personas (idempotent).
        #[arg(long)]
        dev: bool,
        /// Add this many realistic users (for benchmarks).
        #[arg(long)]
        users: Option<u64>,
        /// Add this many realistic training providers.
        #[arg(long)]
        providers: Option<u64>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Openapi = cli.command {
        print!("{}", router::document());
        return ExitCode::SUCCESS;
    }
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("users-api: configuration error: {error}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(config.log_format);
    match run(cli.command, config) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("users-api: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command, config: Config) -> Result<(), String> {
    let db = Db::open(&config.database_url, PoolOptions::of(&config)).map_err(|e| e.to_string())?;
    match command {
        Command::Openapi => unreachable!("handled before configuration is read"),
        Command::Migrate => db.migrate().map_err(|e| e.to_string()),
        Command::Serve { no_migrate, workers } => {
            if !no_migrate {
                db.migrate().map_err(|e| e.to_string())?;
            }
            let listener =
                TcpListener::bind(&config.bind).map_err(|e| format!("BIND: cannot listen on {}: {e}", config.bind))?;
            let workers = workers.unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
            tracing::info!(bind = %config.bind, public_url = %config.public_url, dev_sign_in = config.auth_dev_sign_in, "serving");
            actix_web::rt::System::new().block_on(async move {
                // Built on the runtime: lettre's SMTP connection pool starts
                // a task of its own, and outside a runtime that panics.
                let mut mail = worker::settings(&config)?;
                let state = AppState::new(config, db);
                mail.counts = state.metrics.emails.clone();
                let worker = Worker::spawn(state.db.clone(), mail, state.wake.clone());
                let sweeper = Sweeper::spawn(state.db.clone(), SweepSettings::of(&state.config));
                let reminders =
                    Reminders::spawn(state.db.clone(), ReminderSettings::of(&state.config, state.mail.clone()));
                let usage =
                    UsageFlusher::spawn(state.db.clone(), state.usage.clone(), state.config.api_client_usage_flush);
                let server = app::serve(state, listener, workers).map_err(|e| e.to_string())?;
                let served = server.await.map_err(|e| e.to_string());
                // The server has stopped taking requests: let the worker finish
                // the email in hand, then exit.
                worker.shutdown().await;
                sweeper.shutdown().await;
                usage.shutdown().await;
                reminders.shutdown().await;
                served
            })
        }
        Command::CreateUser { first_name, last_name, email, api_user, role } => {
            db.migrate().map_err(|e| e.to_string())?;
            let role = (!api_user).then(|| users_domain::SupportRole::parse(&role)).flatten();
            let user = seed::new_user(&first_name, &last_name, &email, role, true).map_err(|e| e.to_string())?;
            let id = uuid::Uuid::now_v7().to_string();
            db.run_blocking(|conn| {
                conn.write(|tx| match users::insert(tx, &id, &user, Timestamp::now()) {
                    Err(e) if users::is_duplicate_email(&e) => Err(seed::Error::from(users_domain::FieldError::new(
                        "email",
                        users_domain::messages::EMAIL_IN_USE,
                    ))),
                    other => Ok(other?),
                })
            })
            .map_err(|e| e.to_string())?;
            println!("{id}");
            Ok(())
        }
        Command::PruneActivity => {
            let Some(days) = config.activity_retention_days else {
                eprintln!("ACTIVITY_RETENTION_DAYS is not set: activity is kept forever");
                return Ok(());
            };
            let before = Timestamp::from(Timestamp::now().utc() - chrono::Duration::days(days.into()));
            let removed = db
                .run_blocking(|conn| activity::prune(conn, before).map_err(db::Error::from))
                .map_err(|e| e.to_string())?;
            eprintln!("removed {removed} activity entries older than {days} days");
            Ok(())
        }
        Command::Seed { dev, users: count, providers } => {
            db.migrate().map_err(|e| e.to_string())?;
            if dev {
                let added = seed::personas(&db).map_err(|e| e.to_string())?;
                eprintln!("added {added} development personas");
            }
            if let Some(count) = count {
                let took = seed::bulk_users(&db, count).map_err(|e| e.to_string())?;
                eprintln!("added {count} users in {:.1} s", took.as_secs_f64());
            }
            if let Some(count) = providers {
                let took = seed::bulk_providers(&db, count).map_err(|e| e.to_string())?;
                eprintln!("added {count} providers in {:.1} s", took.as_secs_f64());
            }
            Ok(())
        }
    }
}
