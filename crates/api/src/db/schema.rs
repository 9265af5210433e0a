//! The tables, as Diesel sees them. Only SQL types that PostgreSQL and SQLite
//! share are used, so one query compiles for both.

diesel::table! {
    users (id) {
        id -> Text,
        first_name -> Text,
        last_name -> Text,
        email -> Text,
        api_user -> Bool,
        active -> Bool,
        first_name_key -> Text,
        last_name_key -> Text,
        full_name_key -> Text,
        dfe_sign_in_subject -> Nullable<Text>,
        last_signed_in_at -> Nullable<Timestamp>,
        tokens_revoked_before -> Nullable<Text>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        deleted_by -> Nullable<Text>,
    }
}
