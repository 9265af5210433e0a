//! Support-user roles (contract §9): their names. What each may do is in
//! [`crate::permissions`].

/// What a support user may do: a viewer reads, an editor also adds, changes
/// and deletes users who are not administrators, an administrator also
/// administrators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SupportRole {
    /// Can view users, API clients and activity.
    Viewer,
    /// Can also add, change and delete users and API clients.
    Editor,
    /// Can also add, change and delete administrators.
    Administrator,
}

impl SupportRole {
    /// Every role, least privileged first.
    pub const ALL: [SupportRole; 3] = [SupportRole::Viewer, SupportRole::Editor, SupportRole::Administrator];

    /// The role a request names (`viewer`, `editor`, `administrator`).
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.as_str() == text)
    }

    /// The name requests and the database use.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Viewer => "viewer",
            Self::Editor => "editor",
            Self::Administrator => "administrator",
        }
    }
}
