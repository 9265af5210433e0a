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
        token_generation -> BigInt,
        support_role -> Nullable<Text>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        deleted_by -> Nullable<Text>,
    }
}

diesel::table! {
    /// Live users per (active, api_user) cell, kept by triggers; PostgreSQL
    /// splits each cell into shards that a reader sums.
    user_counts (active, api_user, support_role, shard) {
        active -> Bool,
        api_user -> Bool,
        support_role -> Text,
        shard -> SmallInt,
        live -> Integer,
    }
}

diesel::table! {
    outbox_emails (id) {
        id -> Text,
        kind -> Text,
        user_id -> Text,
        recipient -> Text,
        subject -> Text,
        text_body -> Text,
        html_body -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_by -> Nullable<Text>,
        claimed_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> Text,
        method -> Text,
        created_at -> Timestamp,
        last_used_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        revoked_why -> Nullable<Text>,
    }
}

diesel::table! {
    refresh_tokens (token_hash) {
        token_hash -> Text,
        session_id -> Text,
        created_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    api_clients (id) {
        id -> Text,
        owner_id -> Text,
        name -> Text,
        name_key -> Text,
        token_hash -> Text,
        previous_token_hash -> Nullable<Text>,
        previous_token_valid_until -> Nullable<Timestamp>,
        expires_on -> Text,
        revoked_at -> Nullable<Timestamp>,
        rotated_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        scopes -> Text,
        allowed_ips -> Text,
        last_used_ip -> Nullable<Text>,
    }
}

diesel::table! {
    api_client_reminders (client_id, days_before, expires_on) {
        client_id -> Text,
        days_before -> Integer,
        expires_on -> Text,
        sent_at -> Timestamp,
    }
}

diesel::table! {
    api_client_usage (client_id, day) {
        client_id -> Text,
        day -> Text,
        requests -> BigInt,
        refused -> BigInt,
    }
}

diesel::table! {
    activity (id) {
        id -> Text,
        occurred_at -> Timestamp,
        action -> Text,
        user_id -> Nullable<Text>,
        actor_id -> Nullable<Text>,
        actor_name -> Nullable<Text>,
        changes -> Nullable<Text>,
        details -> Nullable<Text>,
        request_id -> Nullable<Text>,
    }
}

diesel::table! {
    rate_limit_buckets (bucket_key, minute) {
        bucket_key -> Text,
        minute -> BigInt,
        hits -> BigInt,
    }
}

diesel::table! {
    providers (id) {
        id -> Text,
        ukprn -> Text,
        code -> Text,
        name -> Text,
        provider_type -> Text,
        address_line_1 -> Text,
        address_line_2 -> Nullable<Text>,
        address_line_3 -> Nullable<Text>,
        town -> Text,
        county -> Nullable<Text>,
        postcode -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    oidc_sign_ins (state) {
        state -> Text,
        nonce -> Text,
        pkce_verifier -> Text,
        return_to -> Text,
        browser_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::joinable!(outbox_emails -> users (user_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(refresh_tokens -> sessions (session_id));
diesel::joinable!(api_clients -> users (owner_id));
diesel::joinable!(api_client_usage -> api_clients (client_id));
diesel::allow_tables_to_appear_in_same_query!(
    users,
    outbox_emails,
    sessions,
    refresh_tokens,
    activity,
    api_clients,
    api_client_usage
);
