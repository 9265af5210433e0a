//! Ids: every id the service hands out is a UUID in its hyphenated form.

/// A UUID in its hyphenated form (8-4-4-4-12 hexadecimal digits). Anything
/// else cannot name a user, client or entry, so it is "not found" before any
/// query runs.
pub fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::is_uuid;

    #[test]
    fn ids_are_hyphenated_uuids() {
        assert!(is_uuid("0193b0c2-7a1e-7c4e-9f3a-1c2d3e4f5a6b"));
        assert!(!is_uuid("000000000000000000000000000000000000"));
        assert!(!is_uuid("0193b0c2-7a1e-7c4e-9f3a-1c2d3e4f5a6"));
        assert!(!is_uuid("0193b0c2-7a1e-7c4e-9f3a-1c2d3e4f5a6g"));
        assert!(!is_uuid("0193b0c2-7a1e-7c4e-9f3a-1c2d3e4f5a6\0"));
    }
}
