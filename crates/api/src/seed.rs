//! Development personas and bulk data for benchmarks.

use std::time::Instant;

use users_domain::{DfeEmail, NameField, NewUser, PersonName};

use crate::db::{users, Db};
use crate::problem::Problem;
use crate::time::Timestamp;

/// A development persona: first, last, email, API user, active, has signed in.
type Persona = (&'static str, &'static str, &'static str, bool, bool, bool);

/// The people `seed --dev` adds, each showing one kind of account.
pub const PERSONAS: [Persona; 6] = [
    ("Ada", "Lovelace", "ada.lovelace@education.gov.uk", false, true, false),
    ("Grace", "Hopper", "grace.hopper@education.gov.uk", false, true, false),
    ("Alan", "Turing", "alan.turing@education.gov.uk", false, true, true),
    ("Katherine", "Johnson", "katherine.johnson@education.gov.uk", true, true, false),
    ("Charles", "Babbage", "charles.babbage@education.gov.uk", false, false, false),
    ("Mary", "Jackson", "mary.jackson@digital.education.gov.uk", true, false, false),
];

/// Builds a valid new user from trusted parts.
pub fn new_user(first: &str, last: &str, email: &str, api_user: bool, active: bool) -> Result<NewUser, Problem> {
    Ok(NewUser {
        first_name: PersonName::parse(NameField::First, first)?,
        last_name: PersonName::parse(NameField::Last, last)?,
        email: DfeEmail::parse(email)?,
        api_user,
        active,
    })
}

/// Adds the personas that are not there yet; returns how many were added.
pub fn personas(db: &Db) -> Result<usize, Problem> {
    let now = Timestamp::now();
    let signed_in = Timestamp::from(now.utc() - chrono::Duration::days(2));
    db.run_blocking(|conn| {
        conn.write(|tx| {
            let mut added = 0;
            for (first, last, email, api_user, active, has_signed_in) in PERSONAS {
                if users::find_by_email(tx, email)?.is_some() {
                    continue;
                }
                let user = new_user(first, last, email, api_user, active)?;
                let id = uuid::Uuid::now_v7().to_string();
                users::insert_with(tx, &id, &user, now, has_signed_in.then_some(signed_in))?;
                added += 1;
            }
            Ok(added)
        })
    })
}

const FIRST_NAMES: [&str; 48] = [
    "Aaliyah", "Abdul", "Aisha", "Alex", "Amelia", "Aoife", "Arjun", "Bethan", "Callum", "Chloé", "Daniel", "Deepa",
    "Eilidh", "Emily", "Ethan", "Fatima", "Finn", "Freya", "George", "Hannah", "Harpreet", "Isla", "Jack", "Jamal",
    "Jessica", "Kwame", "Laila", "Leo", "Lily", "Mohammed", "Niamh", "Noah", "Olivia", "Oscar", "Priya", "Rhys",
    "Ruby", "Sean", "Siân", "Sophie", "Tariq", "Thomas", "Uma", "William", "Yusuf", "Zara", "Zoë", "Élodie",
];

const LAST_NAMES: [&str; 48] = [
    "Adebayo",
    "Ahmed",
    "Ali",
    "Anderson",
    "Begum",
    "Bennett",
    "Brown",
    "Campbell",
    "Chen",
    "Clarke",
    "Davies",
    "Doherty",
    "Evans",
    "Fernández",
    "Green",
    "Hall",
    "Hughes",
    "Hussain",
    "Jones",
    "Kaur",
    "Kelly",
    "Khan",
    "Lewis",
    "MacDonald",
    "Martin",
    "Mensah",
    "Morgan",
    "Murphy",
    "Nowak",
    "O'Brien",
    "Okafor",
    "Patel",
    "Roberts",
    "Robinson",
    "Singh",
    "Smith",
    "Taylor",
    "Thomas",
    "Thompson",
    "Walker",
    "Watson",
    "White",
    "Williams",
    "Wilson",
    "Wood",
    "Wright",
    "Young",
    "Ó Súilleabháin",
];

/// Adds `count` realistic users (about 10% API users, 5% inactive), in
/// batches; returns how long it took.
pub fn bulk_users(db: &Db, count: u64) -> Result<std::time::Duration, Problem> {
    const BATCH: u64 = 1000;
    let started = Instant::now();
    let run = &uuid::Uuid::now_v7().simple().to_string()[20..];
    let now = Timestamp::now();
    let mut made = 0;
    while made < count {
        let size = BATCH.min(count - made);
        let batch: Vec<(String, NewUser)> = (made..made + size)
            .map(|i| {
                let first = FIRST_NAMES[(i * 7 % 48) as usize];
                let last = LAST_NAMES[(i / 48 * 5 % 48) as usize];
                let local: String = format!("{first}.{last}")
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
                    .collect::<String>()
                    .to_ascii_lowercase();
                let email = format!("{local}.{run}{i}@education.gov.uk");
                let user = new_user(first, last, &email, i % 10 == 3, i % 20 != 7)?;
                Ok((uuid::Uuid::now_v7().to_string(), user))
            })
            .collect::<Result<_, Problem>>()?;
        db.run_blocking(|conn| conn.write(|tx| Ok::<_, Problem>(users::insert_many(tx, &batch, now)?)))?;
        made += size;
    }
    Ok(started.elapsed())
}
