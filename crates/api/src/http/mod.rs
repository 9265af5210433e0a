//! HTTP adapters: everything that reads the application state or the
//! request before a handler runs. Extractors say who is calling
//! ([`caller`], [`provider_reader`]) and what was sent ([`json`],
//! [`if_match`], [`params`]); middleware counts and limits requests
//! ([`rate_limit`]), logs them ([`request_log`]) and adds the security
//! headers ([`security_headers`]). Nothing below this folder imports it.

pub mod caller;
pub mod client_ip;
pub mod clients_caller;
pub mod if_match;
pub mod json;
pub mod params;
pub mod provider_reader;
pub mod rate_limit;
pub mod request_log;
pub mod security_headers;
