//! API client tokens: their format, and the keyed hash that is all the
//! service keeps of them.
//!
//! A token is `dfe_rtp_` + 43 base62 characters holding 256 random bits + 6
//! base62 characters of CRC-32 over everything before them, for example
//! `dfe_rtp_3kTm…Qz1yB7c0`. The fixed prefix lets secret scanners find a
//! leaked token; the checksum lets them (and us, before any database work)
//! tell a real token from a look-alike. The randomness comes from the
//! caller, so this module stays free of I/O.

use std::fmt;

use hmac::{KeyInit, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// Every client token starts with this.
pub const TOKEN_PREFIX: &str = "dfe_rtp_";
/// Random bytes in a token: 256 bits.
pub const SECRET_BYTES: usize = 32;
/// Base62 digits that hold [`SECRET_BYTES`] (62^43 > 2^256).
const SECRET_CHARS: usize = 43;
/// Base62 digits that hold a CRC-32 (62^6 > 2^32).
const CHECKSUM_CHARS: usize = 6;
/// The length of every token.
pub const TOKEN_LEN: usize = TOKEN_PREFIX.len() + SECRET_CHARS + CHECKSUM_CHARS;

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A well-formed client token. It is a secret: `Debug` never shows it, and
/// [`ClientToken::expose`] is the one way to read it (to show it once).
#[derive(Clone, PartialEq, Eq)]
pub struct ClientToken(String);

impl ClientToken {
    /// The token for these random bytes (from the operating system's CSPRNG).
    pub fn from_random(secret: [u8; SECRET_BYTES]) -> Self {
        let mut token = String::with_capacity(TOKEN_LEN);
        token.push_str(TOKEN_PREFIX);
        token.push_str(&base62(&secret, SECRET_CHARS));
        let checksum = crc32(token.as_bytes());
        token.push_str(&base62(&checksum.to_be_bytes(), CHECKSUM_CHARS));
        Self(token)
    }

    /// `Some` when `text` has the prefix, length, alphabet and checksum of a
    /// token. It may still be unknown, revoked or expired.
    pub fn parse(text: &str) -> Option<Self> {
        if text.len() != TOKEN_LEN || !text.starts_with(TOKEN_PREFIX) {
            return None;
        }
        let rest = &text[TOKEN_PREFIX.len()..];
        if !rest.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return None;
        }
        let (signed, checksum) = text.split_at(TOKEN_LEN - CHECKSUM_CHARS);
        (base62(&crc32(signed.as_bytes()).to_be_bytes(), CHECKSUM_CHARS) == checksum).then(|| Self(text.to_owned()))
    }

    /// The token's text, to show the one time it is issued.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ClientToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientToken(redacted)")
    }
}

/// Whether a bearer credential claims to be a client token (rather than an
/// access token): it starts with [`TOKEN_PREFIX`].
pub fn is_client_token(credential: &str) -> bool {
    credential.starts_with(TOKEN_PREFIX)
}

/// The server's key for hashing tokens (HMAC-SHA-256). Without it, a copy of
/// the database cannot be used to check guessed tokens.
#[derive(Clone)]
pub struct TokenKey(Vec<u8>);

impl TokenKey {
    /// A key from its bytes.
    pub fn new(key: &[u8]) -> Self {
        Self(key.to_vec())
    }

    /// The stored form of a token: HMAC-SHA-256 under this key, as 64
    /// lower-case hex digits. Stored hashes are looked up by this value.
    pub fn hash(&self, token: &ClientToken) -> String {
        let mut mac = <hmac::Hmac<Sha256> as KeyInit>::new_from_slice(&self.0).expect("HMAC takes keys of any length");
        mac.update(token.0.as_bytes());
        hex(&mac.finalize().into_bytes())
    }
}

impl fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenKey(redacted)")
    }
}

/// A development key for token hashes, derived from another secret (the JWT
/// secret) so that development needs no second secret; production sets its
/// own. 64 hex digits.
pub fn derive_key(secret: &[u8]) -> Vec<u8> {
    let mut mac = <hmac::Hmac<Sha256> as KeyInit>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(b"users-api: API client token key");
    hex(&mac.finalize().into_bytes()).into_bytes()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares two stored hashes in time that does not depend on where they
/// first differ.
pub fn hashes_equal(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// `bytes` (big-endian) as exactly `width` base62 digits, most significant first.
fn base62(bytes: &[u8], width: usize) -> String {
    let mut number = bytes.to_vec();
    let mut digits = vec![b'0'; width];
    for digit in digits.iter_mut().rev() {
        let mut remainder = 0u32;
        for byte in number.iter_mut() {
            let value = (remainder << 8) | u32::from(*byte);
            *byte = (value / 62) as u8;
            remainder = value % 62;
        }
        *digit = BASE62[remainder as usize];
    }
    String::from_utf8(digits).expect("base62 digits are ASCII")
}

/// CRC-32 (IEEE 802.3, as zlib and GitHub's token checksums use).
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn crc32_is_the_standard_one() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn base62_has_a_fixed_width_and_covers_the_extremes() {
        assert_eq!(base62(&[0; 32], 43), "0".repeat(43));
        assert_eq!(base62(&[0, 61], 2), "0z");
        assert_eq!(base62(&[0, 62], 2), "10");
        let max = base62(&[0xff; 32], 43);
        assert_eq!(max.len(), 43);
        assert!(max.starts_with(|c: char| c != '0'), "2^256 - 1 needs all 43 digits: {max}");
    }

    #[test]
    fn a_token_has_the_prefix_the_length_and_a_valid_checksum() {
        let token = ClientToken::from_random([7; 32]);
        assert!(token.expose().starts_with("dfe_rtp_"));
        assert_eq!(token.expose().len(), TOKEN_LEN);
        assert_eq!(ClientToken::parse(token.expose()), Some(token.clone()));
        assert!(is_client_token(token.expose()));
        assert!(!is_client_token("eyJhbGciOiJIUzI1NiJ9.e30.x"));
    }

    #[test]
    fn look_alikes_are_refused() {
        let text = ClientToken::from_random([9; 32]).expose().to_owned();
        let mut altered = text.clone().into_bytes();
        altered[20] = if altered[20] == b'a' { b'b' } else { b'a' };
        assert_eq!(ClientToken::parse(std::str::from_utf8(&altered).unwrap()), None);
        assert_eq!(ClientToken::parse(&text[..TOKEN_LEN - 1]), None);
        assert_eq!(ClientToken::parse(&text.replacen("dfe_rtp_", "dfe_rtx_", 1)), None);
        assert_eq!(ClientToken::parse(&format!("{}-", &text[..TOKEN_LEN - 1])), None);
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let token = ClientToken::from_random([1; 32]);
        assert_eq!(format!("{token:?}"), "ClientToken(redacted)");
        assert_eq!(format!("{:?}", TokenKey::new(b"k")), "TokenKey(redacted)");
    }

    #[test]
    fn hashes_are_keyed_hex_sha256() {
        let token = ClientToken::from_random([3; 32]);
        let one = TokenKey::new(b"key one").hash(&token);
        let two = TokenKey::new(b"key two").hash(&token);
        assert_eq!(one.len(), 64);
        assert!(one.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        assert_ne!(one, two);
        assert!(hashes_equal(&one, &TokenKey::new(b"key one").hash(&token)));
        assert!(!hashes_equal(&one, &two));
        assert!(!hashes_equal(&one, &one[1..]));
    }

    #[test]
    fn the_hash_is_hmac_sha256_of_the_whole_token() {
        // Expected value from `openssl dgst -sha256 -hmac key` over the same text.
        let token = ClientToken(format!("{TOKEN_PREFIX}{}000000", "0".repeat(43)));
        assert_eq!(
            TokenKey::new(b"key").hash(&token),
            "242a0d8a16df5f95d1e86f62840998c5c6c46803890d41031655971a8e51e42e"
        );
    }

    proptest! {
        #[test]
        fn every_generated_token_parses_back(secret in proptest::array::uniform32(any::<u8>())) {
            let token = ClientToken::from_random(secret);
            prop_assert_eq!(ClientToken::parse(token.expose()), Some(token));
        }

        #[test]
        fn different_secrets_make_different_tokens(a in proptest::array::uniform32(any::<u8>()), b in proptest::array::uniform32(any::<u8>())) {
            prop_assume!(a != b);
            prop_assert_ne!(ClientToken::from_random(a), ClientToken::from_random(b));
        }
    }
}
