//! Expiry reminders for API clients (contract §10): every
//! `API_CLIENT_REMINDER_INTERVAL` each process looks for active clients of
//! active owners inside one of `API_CLIENT_EXPIRY_REMINDER_DAYS`, and emails
//! the owner through the outbox. A reminder row keyed by client, day-count
//! and expiry date is written in the same transaction as the email, so each
//! goes once whichever process finds it first, and across restarts.

use std::time::Duration;

use diesel::prelude::*;

use users_domain::api_client::reminder_due;

use crate::config::Config;
use crate::db::api_clients::{parse_date, ApiClientRow};
use crate::db::schema::{api_client_reminders as reminders, api_clients, users};
use crate::db::users::UserRow;
use crate::db::{Conn, Db};
use crate::db_run;
use crate::email::outbox;
use crate::email::render::{ClientFacts, EmailKind, MailSettings};
use crate::periodic::{Extra, Periodic};
use crate::time::Timestamp;

/// When reminders go, and how often they are looked for.
#[derive(Debug, Clone)]
pub struct ReminderSettings {
    /// `API_CLIENT_EXPIRY_REMINDER_DAYS`.
    pub days: Vec<u32>,
    /// `API_CLIENT_REMINDER_INTERVAL`.
    pub every: Duration,
    /// What every email needs.
    pub mail: MailSettings,
}

impl ReminderSettings {
    /// The settings `config` gives.
    pub fn of(config: &Config, mail: MailSettings) -> Self {
        Self { days: config.api_client_reminder_days.clone(), every: config.api_client_reminder_interval, mail }
    }
}

/// Sends the reminders due at `now`, in one write transaction; answers how
/// many were queued.
pub fn send_due(conn: &mut Conn<'_>, settings: &ReminderSettings, now: Timestamp) -> Result<usize, crate::db::Error> {
    let Some(furthest) = settings.days.iter().max() else { return Ok(0) };
    let today = now.utc().date_naive();
    let last_day = (today + chrono::Duration::days(i64::from(*furthest))).format("%Y-%m-%d").to_string();
    let first_day = (today + chrono::Duration::days(1)).format("%Y-%m-%d").to_string();
    conn.write(|tx| {
        let due: Vec<(ApiClientRow, UserRow)> = db_run!(tx, |c| api_clients::table
            .inner_join(users::table)
            .filter(api_clients::deleted_at.is_null())
            .filter(api_clients::revoked_at.is_null())
            .filter(api_clients::expires_on.between(&first_day, &last_day))
            .filter(users::deleted_at.is_null())
            .filter(users::active.eq(true))
            .select((ApiClientRow::as_select(), UserRow::as_select()))
            .load(c))?;
        let mut sent = 0;
        for (client, owner) in due {
            let Some(days) = reminder_due(parse_date(&client.expires_on), today, &settings.days) else { continue };
            let row = (
                reminders::client_id.eq(&client.id),
                reminders::days_before.eq(i32::try_from(days).unwrap_or(i32::MAX)),
                reminders::expires_on.eq(&client.expires_on),
                reminders::sent_at.eq(now.db()),
            );
            let claimed =
                db_run!(tx, |c| diesel::insert_into(reminders::table).values(row).on_conflict_do_nothing().execute(c))?;
            if claimed == 0 {
                continue;
            }
            let facts = ClientFacts { name: &client.name, expires_on: client.expires_on_date(), revoked_by: None };
            outbox::enqueue_about(
                tx,
                EmailKind::ApiClientExpiring,
                &owner.id,
                &outbox::recipient(&owner),
                Some(&facts),
                &settings.mail,
                now,
            )?;
            tracing::info!(client_id = %client.id, days, "API client expiry reminder queued");
            sent += 1;
        }
        Ok(sent)
    })
}

/// Looks for reminders due every interval, the first time at once.
pub struct Reminders(Periodic);

impl Reminders {
    /// Starts on the current runtime.
    pub fn spawn(db: Db, settings: ReminderSettings) -> Self {
        let every = settings.every;
        Self(Periodic::spawn(every, Extra::AtStart, move || {
            let (db, run) = (db.clone(), settings.clone());
            async move {
                if let Err(error) = db.run(move |conn| send_due(conn, &run, Timestamp::now())).await {
                    tracing::warn!(%error, "API client reminders could not be sent; trying again next time");
                }
            }
        }))
    }

    /// Stops after the run in hand.
    pub async fn shutdown(self) {
        self.0.shutdown().await;
    }
}
