//! Development personas and bulk data for benchmarks.

use std::time::Instant;

use users_domain::{DfeEmail, NameField, NewUser, PersonName, SupportRole};

use crate::db;
use crate::db::providers::{self, ProviderRow};
use crate::db::{users, Db};
use crate::time::Timestamp;

/// Why seeding stopped.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A value the seed made breaks a rule (a bug in the seed, or a bad
    /// `create-user` argument).
    #[error("{0}")]
    Invalid(String),
    /// The database refused or failed.
    #[error(transparent)]
    Database(#[from] db::Error),
    /// More providers than the code space holds.
    #[error("too many providers: the provider codes have run out")]
    TooManyProviders,
}

impl From<diesel::result::Error> for Error {
    fn from(error: diesel::result::Error) -> Self {
        Self::Database(error.into())
    }
}

impl From<users_domain::FieldError> for Error {
    fn from(error: users_domain::FieldError) -> Self {
        Self::Invalid(format!("{}: {}", error.field, error.message))
    }
}

/// A development persona: first, last, email, role (`None`: an API user),
/// active, has signed in.
type Persona = (&'static str, &'static str, &'static str, Option<SupportRole>, bool, bool);

const ADMINISTRATOR: Option<SupportRole> = Some(SupportRole::Administrator);
const EDITOR: Option<SupportRole> = Some(SupportRole::Editor);
const VIEWER: Option<SupportRole> = Some(SupportRole::Viewer);

/// The people `seed --dev` adds, each showing one kind of account.
pub const PERSONAS: [Persona; 7] = [
    ("Ada", "Lovelace", "ada.lovelace@education.gov.uk", ADMINISTRATOR, true, false),
    ("Grace", "Hopper", "grace.hopper@education.gov.uk", EDITOR, true, false),
    ("Dorothy", "Vaughan", "dorothy.vaughan@education.gov.uk", VIEWER, true, false),
    ("Alan", "Turing", "alan.turing@education.gov.uk", EDITOR, true, true),
    ("Katherine", "Johnson", "katherine.johnson@education.gov.uk", None, true, false),
    ("Charles", "Babbage", "charles.babbage@education.gov.uk", VIEWER, false, false),
    ("Mary", "Jackson", "mary.jackson@digital.education.gov.uk", None, false, false),
];

/// Builds a valid new user from trusted parts: a support user in `role`, or
/// an API user when `role` is `None`.
pub fn new_user(
    first: &str,
    last: &str,
    email: &str,
    role: Option<SupportRole>,
    active: bool,
) -> Result<NewUser, Error> {
    Ok(NewUser {
        first_name: PersonName::parse(NameField::First, first)?,
        last_name: PersonName::parse(NameField::Last, last)?,
        email: DfeEmail::parse(email)?,
        api_user: role.is_none(),
        active,
        support_role: role,
    })
}

/// Adds the personas that are not there yet; returns how many were added.
pub fn personas(db: &Db) -> Result<usize, Error> {
    let now = Timestamp::now();
    let signed_in = Timestamp::from(now.utc() - chrono::Duration::days(2));
    db.run_blocking(|conn| {
        conn.write(|tx| {
            let mut added = 0;
            for (first, last, email, role, active, has_signed_in) in PERSONAS {
                if users::find_by_email(tx, email)?.is_some() {
                    continue;
                }
                let user = new_user(first, last, email, role, active)?;
                let id = uuid::Uuid::now_v7().to_string();
                users::insert_with(tx, &id, &user, now, has_signed_in.then_some(signed_in))?;
                added += 1;
            }
            Ok::<_, Error>(added)
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

/// Adds `count` realistic users (about 10% API users, 5% inactive; of the
/// support users about 2% administrators and 18% editors), in batches;
/// returns how long it took.
pub fn bulk_users(db: &Db, count: u64) -> Result<std::time::Duration, Error> {
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
                let role = match (i % 10, i % 50) {
                    (3, _) => None,
                    (_, 0) => ADMINISTRATOR,
                    (0 | 5, _) => EDITOR,
                    _ => VIEWER,
                };
                let user = new_user(first, last, &email, role, i % 20 != 7)?;
                Ok((uuid::Uuid::now_v7().to_string(), user))
            })
            .collect::<Result<_, Error>>()?;
        db.run_blocking(|conn| conn.write(|tx| users::insert_many(tx, &batch, now).map_err(db::Error::from)))?;
        made += size;
    }
    Ok(started.elapsed())
}

/// Towns with their county and postcode area, for provider addresses.
const TOWNS: [(&str, Option<&str>, &str); 24] = [
    ("Birmingham", Some("West Midlands"), "B"),
    ("Bristol", None, "BS"),
    ("Cambridge", Some("Cambridgeshire"), "CB"),
    ("Canterbury", Some("Kent"), "CT"),
    ("Carlisle", Some("Cumbria"), "CA"),
    ("Chester", Some("Cheshire"), "CH"),
    ("Derby", Some("Derbyshire"), "DE"),
    ("Durham", Some("County Durham"), "DH"),
    ("Exeter", Some("Devon"), "EX"),
    ("Gloucester", Some("Gloucestershire"), "GL"),
    ("Hull", Some("East Riding of Yorkshire"), "HU"),
    ("Ipswich", Some("Suffolk"), "IP"),
    ("Leeds", Some("West Yorkshire"), "LS"),
    ("Leicester", Some("Leicestershire"), "LE"),
    ("Lincoln", Some("Lincolnshire"), "LN"),
    ("Liverpool", Some("Merseyside"), "L"),
    ("London", None, "SE"),
    ("Manchester", Some("Greater Manchester"), "M"),
    ("Newcastle upon Tyne", Some("Tyne and Wear"), "NE"),
    ("Norwich", Some("Norfolk"), "NR"),
    ("Nottingham", Some("Nottinghamshire"), "NG"),
    ("Plymouth", Some("Devon"), "PL"),
    ("Sheffield", Some("South Yorkshire"), "S"),
    ("York", Some("North Yorkshire"), "YO"),
];

const SAINTS: [&str; 12] = [
    "St Mary's",
    "St John's",
    "St Peter's",
    "St Anne's",
    "St Joseph's",
    "Holy Trinity",
    "St Michael's",
    "St Paul's",
    "All Saints",
    "St Edmund's",
    "Christ Church",
    "St Aidan's",
];

const PLACES: [&str; 12] = [
    "Park",
    "Hill",
    "Meadow",
    "Riverside",
    "Oakfield",
    "Westfield",
    "Moorside",
    "Ashwood",
    "Brookside",
    "Greenbank",
    "Highfield",
    "Castle",
];

const STREETS: [&str; 10] = [
    "High Street",
    "Church Lane",
    "Station Road",
    "Park Avenue",
    "Mill Lane",
    "School Road",
    "Queen's Drive",
    "Victoria Road",
    "Manor Way",
    "London Road",
];

/// A realistic provider for position `i` of the whole seeded set: about 60%
/// schools, 15% SCITTs, 10% universities and 15% others. UKPRNs and codes are
/// permutations of `i`, so they are unique and look unordered.
fn provider(i: u64) -> Result<ProviderRow, Error> {
    let (town, county, area) = TOWNS[(i % 24) as usize];
    let place = PLACES[(i / 24 % 12) as usize];
    let saint = SAINTS[(i / 7 % 12) as usize];
    let (provider_type, name) = match i % 20 {
        0..=11 if i % 3 == 0 => ("school", format!("{saint} Church of England Primary School, {town}")),
        0..=11 => ("school", format!("{place} Academy {town}")),
        12..=14 => ("scitt", format!("{town} {place} SCITT")),
        15 | 16 => {
            ("hei", if i % 2 == 0 { format!("University of {town}") } else { format!("{town} {place} University") })
        }
        _ => ("other", format!("{place} Teaching School Hub ({town})")),
    };
    let ukprn = 10_000_000 + (i * 7_654_321 + 1_234_567) % 10_000_000;
    let code = provider_code(i).ok_or(Error::TooManyProviders)?;
    let letters = b"ABDEFGHJLNPQRSTUWXYZ";
    let postcode = format!(
        "{area}{} {}{}{}",
        i % 19 + 1,
        i / 19 % 10,
        letters[(i / 190 % 20) as usize] as char,
        letters[(i / 3800 % 20) as usize] as char
    );
    Ok(ProviderRow {
        id: uuid::Uuid::now_v7().to_string(),
        ukprn: ukprn.to_string(),
        code,
        name,
        provider_type: provider_type.to_owned(),
        address_line_1: format!("{} {}", i % 180 + 1, STREETS[(i / 11 % 10) as usize]),
        address_line_2: (i % 4 == 1).then(|| format!("{place} Campus")),
        address_line_3: None,
        town: town.to_owned(),
        county: county.map(str::to_owned),
        postcode,
        created_at: Timestamp::now().db(),
        updated_at: Timestamp::now().db(),
    })
}

/// Provider codes: three letters and digits while they last (46,656 of
/// them), then four.
fn provider_code(i: u64) -> Option<String> {
    const DIGITS: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let (width, space, n) = if i < 36u64.pow(3) { (3, 36u64.pow(3), i) } else { (4, 36u64.pow(4), i - 36u64.pow(3)) };
    if n >= space {
        return None;
    }
    let mut value = (n * 7919 + 1000) % space;
    let mut code = vec![b'0'; width];
    for digit in code.iter_mut().rev() {
        *digit = DIGITS[(value % 36) as usize];
        value /= 36;
    }
    String::from_utf8(code).ok()
}

/// Adds `count` realistic providers after those already stored, 1,000 to a
/// statement; returns how long it took.
pub fn bulk_providers(db: &Db, count: u64) -> Result<std::time::Duration, Error> {
    const BATCH: u64 = 1000;
    let started = Instant::now();
    let first = db.run_blocking(|conn| providers::count(conn).map_err(db::Error::from))?;
    let mut made = 0;
    while made < count {
        let size = BATCH.min(count - made);
        let mut batch: Vec<ProviderRow> =
            (first + made..first + made + size).map(provider).collect::<Result<_, Error>>()?;
        db.run_blocking(|conn| {
            conn.write(|tx| providers::insert_many(tx, &mut batch, Timestamp::now()).map_err(db::Error::from))
        })?;
        made += size;
    }
    Ok(started.elapsed())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_providers_have_unique_ukprns_and_codes() {
        let mut ukprns = std::collections::HashSet::new();
        let mut codes = std::collections::HashSet::new();
        for i in (0..60_000).chain(1_000_000..1_001_000) {
            let p = provider(i).unwrap();
            assert!(p.ukprn.len() == 8 && p.ukprn.starts_with('1'), "{}", p.ukprn);
            assert!(ukprns.insert(p.ukprn), "duplicate UKPRN at {i}");
            assert!(codes.insert(p.code), "duplicate code at {i}");
        }
        assert_eq!(provider(0).unwrap().code.len(), 3);
        assert_eq!(provider(50_000).unwrap().code.len(), 4);
    }
}
