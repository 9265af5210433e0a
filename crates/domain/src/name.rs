//! The rule for a person's first and last names.

use std::fmt;

use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

use crate::error::FieldError;
use crate::messages;

/// The longest name accepted, in Unicode characters after trimming.
pub const NAME_MAX_CHARS: usize = 255;

/// Which name a value is, so errors name the right field and sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameField {
    /// `first_name`
    First,
    /// `last_name`
    Last,
}

impl NameField {
    /// The JSON field name.
    pub fn field(self) -> &'static str {
        match self {
            Self::First => "first_name",
            Self::Last => "last_name",
        }
    }

    /// The sentence for a missing or blank name.
    pub fn blank_message(self) -> &'static str {
        match self {
            Self::First => messages::ENTER_FIRST_NAME,
            Self::Last => messages::ENTER_LAST_NAME,
        }
    }

    fn too_long_message(self) -> &'static str {
        match self {
            Self::First => messages::FIRST_NAME_TOO_LONG,
            Self::Last => messages::LAST_NAME_TOO_LONG,
        }
    }

    fn control_message(self) -> &'static str {
        match self {
            Self::First => messages::FIRST_NAME_CONTROL_CHARACTERS,
            Self::Last => messages::LAST_NAME_CONTROL_CHARACTERS,
        }
    }

    /// The edit-lock sentence for this name.
    pub fn locked_message(self) -> &'static str {
        match self {
            Self::First => messages::FIRST_NAME_LOCKED,
            Self::Last => messages::LAST_NAME_LOCKED,
        }
    }
}

/// A trimmed, non-blank name of at most 255 characters with no line breaks or
/// other control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PersonName(String);

impl PersonName {
    /// Parses what a person typed for `which` name.
    pub fn parse(which: NameField, raw: &str) -> Result<Self, FieldError> {
        let name = raw.trim();
        let error = |message| Err(FieldError::new(which.field(), message));
        if name.is_empty() {
            return error(which.blank_message());
        }
        if name.chars().any(is_forbidden) {
            return error(which.control_message());
        }
        if name.chars().count() > NAME_MAX_CHARS {
            return error(which.too_long_message());
        }
        Ok(Self(name.to_owned()))
    }

    /// The name as stored and shown.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key names sort and are searched by: the Unicode lower case.
    pub fn sort_key(&self) -> String {
        sort_key(&self.0)
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The Unicode lower case of a name: lists are ordered by these keys, compared
/// by code point, so both databases give one order (contract §8).
pub fn sort_key(name: &str) -> String {
    name.to_lowercase()
}

/// Control characters (Unicode `Cc`), the Unicode line and paragraph
/// separators, which would break a line in an email or a log, and format
/// characters (`Cf`): invisible ones such as a right-to-left override
/// (U+202E), which can make a name read as something else, or a zero-width
/// space (U+200B), which makes two names look the same.
pub fn is_forbidden(c: char) -> bool {
    c.is_control() || c == '\u{2028}' || c == '\u{2029}' || c.general_category() == GeneralCategory::Format
}

/// The rule as an ECMA-262 pattern for the OpenAPI document: at least one
/// character that is not white space, and no forbidden characters (the
/// format characters of the Basic Multilingual Plane are listed; the few
/// beyond it, such as language tags, are refused by the service all the same).
pub const NAME_PATTERN: &str = r"^[^\u0000-\u001F\u007F-\u009F\u00AD\u0600-\u0605\u061C\u06DD\u070F\u0890\u0891\u08E2\u180E\u200B-\u200F\u202A-\u202E\u2028\u2029\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB]*[^\s\u0000-\u001F\u007F-\u009F\u00AD\u0600-\u0605\u061C\u06DD\u070F\u0890\u0891\u08E2\u180E\u200B-\u200F\u202A-\u202E\u2028\u2029\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB][^\u0000-\u001F\u007F-\u009F\u00AD\u0600-\u0605\u061C\u06DD\u070F\u0890\u0891\u08E2\u180E\u200B-\u200F\u202A-\u202E\u2028\u2029\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB]*$";

#[cfg(test)]
mod tests {
    use super::*;

    fn message(which: NameField, raw: &str) -> &'static str {
        PersonName::parse(which, raw).unwrap_err().message
    }

    #[test]
    fn names_are_trimmed() {
        assert_eq!(PersonName::parse(NameField::First, "  Ada \t").unwrap().as_str(), "Ada");
    }

    #[test]
    fn blank_names_are_refused_with_the_fields_own_sentence() {
        assert_eq!(message(NameField::First, "   "), "Enter first name");
        assert_eq!(message(NameField::Last, ""), "Enter last name");
    }

    #[test]
    fn length_is_counted_in_characters_after_trimming() {
        let ok = format!("  {}  ", "é".repeat(255));
        assert!(PersonName::parse(NameField::First, &ok).is_ok());
        assert_eq!(message(NameField::First, &"é".repeat(256)), "First name must be 255 characters or less");
        assert_eq!(message(NameField::Last, &"x".repeat(256)), "Last name must be 255 characters or less");
    }

    #[test]
    fn line_breaks_and_control_characters_inside_a_name_are_refused() {
        for raw in ["Ada\nLovelace", "Ada\rX", "A\u{0}da", "Ad\u{85}a", "Ada\u{2028}L", "Ad\u{7f}a"] {
            assert_eq!(
                message(NameField::First, raw),
                "First name must not include line breaks or other control characters",
                "{raw:?}"
            );
        }
        assert_eq!(
            message(NameField::Last, "Love\tlace"),
            "Last name must not include line breaks or other control characters"
        );
    }

    #[test]
    fn invisible_format_characters_are_refused_like_control_characters() {
        for c in ['\u{202E}', '\u{200B}', '\u{2066}', '\u{FEFF}', '\u{00AD}', '\u{E0041}'] {
            assert_eq!(message(NameField::First, &format!("Ada{c}Lovelace")), messages::FIRST_NAME_CONTROL_CHARACTERS);
        }
        assert!(PersonName::parse(NameField::First, "Zoë Ó Súilleabháin-Nakamura 中村").is_ok());
    }

    /// The code points the pattern's first class lists, from its `\uXXXX`
    /// escapes and ranges.
    fn listed_by_pattern() -> Vec<std::ops::RangeInclusive<u32>> {
        let class = NAME_PATTERN.strip_prefix("^[^").and_then(|rest| rest.split(']').next()).unwrap();
        let points: Vec<(u32, bool)> = class
            .split("\\u")
            .skip(1)
            .map(|part| (u32::from_str_radix(&part[..4], 16).unwrap(), part[4..].starts_with('-')))
            .collect();
        let mut ranges = Vec::new();
        let mut i = 0;
        while i < points.len() {
            if points[i].1 {
                ranges.push(points[i].0..=points[i + 1].0);
                i += 2;
            } else {
                ranges.push(points[i].0..=points[i].0);
                i += 1;
            }
        }
        ranges
    }

    #[test]
    fn the_documented_pattern_lists_every_forbidden_character_of_the_basic_plane() {
        let listed = listed_by_pattern();
        for c in (0..=0xFFFF_u32).filter_map(char::from_u32) {
            let in_pattern = listed.iter().any(|r| r.contains(&(c as u32)));
            assert_eq!(in_pattern, is_forbidden(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn sort_keys_are_unicode_lower_case() {
        assert_eq!(sort_key("ÉMILE"), "émile");
        assert_eq!(PersonName::parse(NameField::Last, "O'Brien").unwrap().sort_key(), "o'brien");
    }
}
