//! What an API client's token may do and from where (contract §10): its
//! scopes and its IP allowlist, as a request names them and as a token's
//! request is judged against them.

use std::collections::BTreeSet;
use std::net::IpAddr;

use ipnet::IpNet;

use crate::error::FieldError;
use crate::messages;
use crate::user::Supplied;

/// What a client token may be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// Manage its owner's API clients through `/api-clients`, itself included.
    ApiClientsManage,
    /// Read training-provider data.
    ProvidersRead,
    /// Provision users through SCIM (an administrator's clients only).
    Scim,
}

impl Scope {
    /// Every scope, in the order their names sort.
    pub const ALL: [Scope; 3] = [Scope::ApiClientsManage, Scope::ProvidersRead, Scope::Scim];

    /// The name requests and the database use.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ApiClientsManage => "api_clients:manage",
            Self::ProvidersRead => "providers:read",
            Self::Scim => "scim",
        }
    }

    /// The scope a request names.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|scope| scope.as_str() == text)
    }
}

/// A client's scopes: never empty, kept sorted by name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Scopes(BTreeSet<Scope>);

impl Default for Scopes {
    /// A new client reads provider data unless told otherwise.
    fn default() -> Self {
        Self(BTreeSet::from([Scope::ProvidersRead]))
    }
}

impl Scopes {
    /// Parses the `scopes` of a request: a non-empty array of known names
    /// (repeats are one). `None` for absent or `null`.
    pub fn parse(supplied: &Supplied<Vec<&str>>) -> Result<Option<Self>, FieldError> {
        let error = |message| Err(FieldError::new("scopes", message));
        let names = match supplied {
            Supplied::Absent | Supplied::Null => return Ok(None),
            Supplied::WrongType => return error(messages::SELECT_VALID_SCOPE),
            Supplied::Value(names) => names,
        };
        if names.is_empty() {
            return error(messages::SELECT_AT_LEAST_ONE_SCOPE);
        }
        match names.iter().map(|name| Scope::parse(name)).collect::<Option<BTreeSet<_>>>() {
            Some(scopes) => Ok(Some(Self(scopes))),
            None => error(messages::SELECT_VALID_SCOPE),
        }
    }

    /// Reads the stored form ([`Scopes::to_text`]); names it does not know
    /// are dropped, and an empty result is the default.
    pub fn from_text(text: &str) -> Self {
        let scopes: BTreeSet<Scope> = text.split_whitespace().filter_map(Scope::parse).collect();
        if scopes.is_empty() {
            Self::default()
        } else {
            Self(scopes)
        }
    }

    /// The stored form: the names, sorted, separated by spaces (as OAuth
    /// writes a scope list).
    pub fn to_text(&self) -> String {
        self.names().collect::<Vec<_>>().join(" ")
    }

    /// The names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.0.iter().map(|scope| scope.as_str())
    }

    /// Whether these include `scope`.
    pub fn contains(&self, scope: Scope) -> bool {
        self.0.contains(&scope)
    }

    /// The `scim` rule: only an administrator gives it, and only to an
    /// administrator's client.
    pub fn check_scim(&self, owner_is_administrator: bool, giver_is_administrator: bool) -> Result<(), FieldError> {
        if self.contains(Scope::Scim) && !(owner_is_administrator && giver_is_administrator) {
            Err(FieldError::new("scopes", messages::SCIM_SCOPE_ADMINISTRATORS_ONLY))
        } else {
            Ok(())
        }
    }

    /// A client token managing clients may give only the scopes it has.
    pub fn check_within(&self, granter: &Scopes) -> Result<(), FieldError> {
        if self.0.is_subset(&granter.0) {
            Ok(())
        } else {
            Err(FieldError::new("scopes", messages::CANNOT_GIVE_SCOPE_IT_LACKS))
        }
    }
}

/// The most entries an allowlist may have.
pub const ALLOWED_IPS_MAX: usize = 20;

/// Where a client's token may be used from: addresses and CIDR ranges, IPv4
/// or IPv6. Empty means anywhere.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct AllowedIps(Vec<IpNet>);

impl AllowedIps {
    /// Parses the `allowed_ips` of a request: at most 20 addresses or ranges,
    /// each trimmed (a range is kept as its network: `192.0.2.7/24` is
    /// `192.0.2.0/24`), repeats dropped. `None` for absent or `null`.
    pub fn parse(supplied: &Supplied<Vec<&str>>) -> Result<Option<Self>, FieldError> {
        let error = |message| Err(FieldError::new("allowed_ips", message));
        let entries = match supplied {
            Supplied::Absent | Supplied::Null => return Ok(None),
            Supplied::WrongType => return error(messages::ENTER_IP_ADDRESSES),
            Supplied::Value(entries) => entries,
        };
        let mut nets: Vec<IpNet> = Vec::with_capacity(entries.len());
        for entry in entries {
            let Some(net) = parse_entry(entry.trim()) else {
                return error(messages::ENTER_IP_ADDRESSES);
            };
            if !nets.contains(&net) {
                nets.push(net);
            }
        }
        if nets.len() > ALLOWED_IPS_MAX {
            return error(messages::TOO_MANY_IP_ADDRESSES);
        }
        Ok(Some(Self(nets)))
    }

    /// Reads the stored form ([`AllowedIps::to_text`]), skipping what does
    /// not parse.
    pub fn from_text(text: &str) -> Self {
        Self(text.split_whitespace().filter_map(parse_entry).collect())
    }

    /// The stored form: the entries as [`AllowedIps::entries`] shows them,
    /// separated by spaces.
    pub fn to_text(&self) -> String {
        self.entries().join(" ")
    }

    /// Each entry as the API shows it: a single address without a prefix
    /// length, a range as `network/length`.
    pub fn entries(&self) -> Vec<String> {
        self.0
            .iter()
            .map(|net| if net.prefix_len() == net.max_prefix_len() { net.addr().to_string() } else { net.to_string() })
            .collect()
    }

    /// Whether a request from `ip` may use the token. An IPv4 address
    /// written as IPv6 (`::ffff:192.0.2.10`) is the IPv4 address.
    pub fn permits(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.is_empty() || self.0.iter().any(|net| net.contains(&ip))
    }
}

fn parse_entry(text: &str) -> Option<IpNet> {
    if let Ok(net) = text.parse::<IpNet>() {
        return Some(net.trunc());
    }
    text.parse::<IpAddr>().ok().map(|ip| IpNet::from(ip.to_canonical()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(values: &[&'static str]) -> Supplied<Vec<&'static str>> {
        Supplied::Value(values.to_vec())
    }

    fn message<T: std::fmt::Debug>(result: Result<T, FieldError>) -> &'static str {
        result.unwrap_err().message
    }

    #[test]
    fn scopes_are_a_sorted_set_of_known_names_and_never_empty() {
        let scopes = Scopes::parse(&list(&["scim", "providers:read", "scim", "api_clients:manage"])).unwrap().unwrap();
        assert_eq!(scopes.to_text(), "api_clients:manage providers:read scim");
        assert_eq!(Scopes::from_text(&scopes.to_text()), scopes);
        assert_eq!(Scopes::parse(&Supplied::Absent).unwrap(), None);
        assert_eq!(Scopes::default().to_text(), "providers:read");
        assert_eq!(message(Scopes::parse(&list(&[]))), "Select at least one scope");
        assert_eq!(message(Scopes::parse(&list(&["providers:write"]))), "Select a valid scope");
        assert_eq!(message(Scopes::parse(&Supplied::WrongType)), "Select a valid scope");
    }

    #[test]
    fn only_an_administrator_gives_scim_and_only_to_an_administrators_client() {
        let scim = Scopes::parse(&list(&["scim"])).unwrap().unwrap();
        assert_eq!(scim.check_scim(true, true), Ok(()));
        for (owner, giver) in [(true, false), (false, true), (false, false)] {
            assert_eq!(
                message(scim.check_scim(owner, giver)),
                "Only an administrator's API client can have the scim scope"
            );
        }
        assert_eq!(Scopes::default().check_scim(false, false), Ok(()));
    }

    #[test]
    fn a_token_gives_only_scopes_it_has() {
        let manage = Scopes::parse(&list(&["api_clients:manage", "providers:read"])).unwrap().unwrap();
        assert_eq!(Scopes::default().check_within(&manage), Ok(()));
        let scim = Scopes::parse(&list(&["scim"])).unwrap().unwrap();
        assert_eq!(message(scim.check_within(&manage)), "An API client cannot give a scope it does not have");
    }

    #[test]
    fn allowlists_take_addresses_and_ranges_of_both_families() {
        let ips = AllowedIps::parse(&list(&[
            " 192.0.2.10 ",
            "198.51.100.7/24",
            "2001:db8::/32",
            "::ffff:203.0.113.9",
            "192.0.2.10",
        ]))
        .unwrap()
        .unwrap();
        assert_eq!(ips.entries(), ["192.0.2.10", "198.51.100.0/24", "2001:db8::/32", "203.0.113.9"]);
        assert_eq!(AllowedIps::from_text(&ips.to_text()), ips);
        for allowed in ["192.0.2.10", "198.51.100.255", "2001:db8:1::5", "::ffff:198.51.100.1", "203.0.113.9"] {
            assert!(ips.permits(allowed.parse().unwrap()), "{allowed}");
        }
        for refused in ["192.0.2.11", "198.51.101.1", "2001:db9::1", "::1"] {
            assert!(!ips.permits(refused.parse().unwrap()), "{refused}");
        }
        assert!(AllowedIps::default().permits("192.0.2.1".parse().unwrap()), "empty is anywhere");
    }

    #[test]
    fn bad_allowlists_get_their_sentences() {
        let like = "Enter IP addresses or ranges like 192.0.2.10 or 192.0.2.0/24";
        for bad in ["", "192.0.2", "192.0.2.0/33", "example.org", "192.0.2.1-192.0.2.9", "10.0.0.1/8/8"] {
            assert_eq!(message(AllowedIps::parse(&list(&[bad]))), like, "{bad:?}");
        }
        assert_eq!(message(AllowedIps::parse(&Supplied::WrongType)), like);
        let many: Vec<String> = (0..21).map(|i| format!("192.0.2.{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(
            message(AllowedIps::parse(&Supplied::Value(many.clone()))),
            "Enter 20 IP addresses or ranges or fewer"
        );
        assert!(AllowedIps::parse(&Supplied::Value(many[..20].to_vec())).is_ok());
        assert_eq!(AllowedIps::parse(&list(&[])).unwrap(), Some(AllowedIps::default()));
    }
}
