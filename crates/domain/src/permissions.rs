//! What each support-user role may do (contract §9): one question a handler
//! asks — may this caller make this change to this user? — and the 403
//! sentences that answer it.

use crate::messages;
use crate::role::SupportRole;
use crate::user::{Field, UserChanges, UserState};

/// Who is acting on users: a support user in a role, or an API user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor<'a> {
    /// A support user with this id and role.
    Support {
        /// The support user's id, to tell changes to their own account.
        id: &'a str,
        /// Their role as stored now (read on every request).
        role: SupportRole,
    },
    /// An API user: reads its own account and manages its own API clients.
    Api,
}

/// Why a change is refused with 403, and the sentence that says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Forbidden {
    /// The caller may read but not change.
    #[error("{}", messages::NO_PERMISSION_TO_CHANGE)]
    ReadOnly,
    /// An editor acting on an administrator, or giving the administrator role.
    #[error("{}", messages::ADMINISTRATORS_ONLY)]
    AdministratorsOnly,
}

impl Forbidden {
    /// The sentence to show.
    pub fn message(self) -> &'static str {
        match self {
            Self::ReadOnly => messages::NO_PERMISSION_TO_CHANGE,
            Self::AdministratorsOnly => messages::ADMINISTRATORS_ONLY,
        }
    }
}

impl Actor<'_> {
    /// The role, for a support user.
    pub fn support_role(self) -> Option<SupportRole> {
        match self {
            Self::Support { role, .. } => Some(role),
            Self::Api => None,
        }
    }

    /// Whether the actor may change anything at all (users or API clients):
    /// asked before the target is looked up, so a viewer hears 403 first.
    pub fn may_write(self) -> Result<(), Forbidden> {
        match self.support_role() {
            Some(SupportRole::Editor | SupportRole::Administrator) => Ok(()),
            _ => Err(Forbidden::ReadOnly),
        }
    }

    /// Whether the actor may act on `target` (who is an administrator or
    /// not): asked after the target is found.
    pub fn may_act_on(self, target: &UserState) -> Result<(), Forbidden> {
        self.may_write()?;
        self.may_handle(target.support_role)
    }

    /// Whether the actor may give a user `role`.
    pub fn may_give(self, role: Option<SupportRole>) -> Result<(), Forbidden> {
        self.may_write()?;
        self.may_handle(role)
    }

    fn may_handle(self, role: Option<SupportRole>) -> Result<(), Forbidden> {
        match (self.support_role(), role) {
            (Some(SupportRole::Administrator), _) => Ok(()),
            (_, Some(SupportRole::Administrator)) => Err(Forbidden::AdministratorsOnly),
            _ => Ok(()),
        }
    }

    /// Whether the actor may make `changes` to `target`.
    pub fn may_change(self, target: &UserState, changes: &UserChanges) -> Result<(), Forbidden> {
        self.may_act_on(target)?;
        match changes.support_role {
            Some(role) => self.may_give(role),
            None => Ok(()),
        }
    }

    /// The fields of `target` this actor may change at `now`: what the
    /// edit lock leaves, if the actor may act on the target at all, with
    /// `support_role` when the target is a support user other than the
    /// actor (nobody changes their own role).
    pub fn editable_fields(self, target: &UserState, now: chrono::DateTime<chrono::Utc>) -> Vec<Field> {
        if self.may_act_on(target).is_err() {
            return Vec::new();
        }
        let own = matches!(self, Actor::Support { id, .. } if id == target.id);
        let role_editable = !target.api_user && !own;
        let mut fields: Vec<Field> = target.editable_fields(now).to_vec();
        if role_editable {
            let at = fields.iter().position(|f| *f == Field::ApiUser).map_or(fields.len(), |i| i + 1);
            fields.insert(at, Field::SupportRole);
        }
        fields
    }

    /// Whether the actor may delete `target` (not themselves).
    pub fn can_delete(self, target: &UserState) -> bool {
        let own = matches!(self, Actor::Support { id, .. } if id == target.id);
        !own && self.may_act_on(target).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: &str, role: Option<SupportRole>) -> UserState {
        UserState {
            id: id.into(),
            first_name: "Ada".into(),
            last_name: "Lovelace".into(),
            email: "ada@education.gov.uk".into(),
            api_user: role.is_none(),
            active: true,
            last_signed_in_at: None,
            support_role: role,
        }
    }

    const VIEWER: Actor<'static> = Actor::Support { id: "me", role: SupportRole::Viewer };
    const EDITOR: Actor<'static> = Actor::Support { id: "me", role: SupportRole::Editor };
    const ADMIN: Actor<'static> = Actor::Support { id: "me", role: SupportRole::Administrator };

    #[test]
    fn each_cell_of_the_permission_table() {
        let (viewer, editor, admin) = (
            user("v", Some(SupportRole::Viewer)),
            user("e", Some(SupportRole::Editor)),
            user("a", Some(SupportRole::Administrator)),
        );
        let api = user("api", None);
        for target in [&viewer, &editor, &api] {
            assert_eq!(VIEWER.may_act_on(target), Err(Forbidden::ReadOnly));
            assert_eq!(EDITOR.may_act_on(target), Ok(()));
            assert_eq!(ADMIN.may_act_on(target), Ok(()));
        }
        assert_eq!(VIEWER.may_act_on(&admin), Err(Forbidden::ReadOnly));
        assert_eq!(EDITOR.may_act_on(&admin), Err(Forbidden::AdministratorsOnly));
        assert_eq!(ADMIN.may_act_on(&admin), Ok(()));
        assert_eq!(EDITOR.may_give(Some(SupportRole::Editor)), Ok(()));
        assert_eq!(EDITOR.may_give(Some(SupportRole::Administrator)), Err(Forbidden::AdministratorsOnly));
        assert_eq!(ADMIN.may_give(Some(SupportRole::Administrator)), Ok(()));
        assert_eq!(Actor::Api.may_write(), Err(Forbidden::ReadOnly));
        assert_eq!(Forbidden::ReadOnly.message(), "You do not have permission to make changes");
        assert_eq!(
            Forbidden::AdministratorsOnly.message(),
            "Only an administrator can add, change or delete an administrator"
        );
    }

    #[test]
    fn editable_fields_are_what_this_caller_may_change_now() {
        let now = chrono::Utc::now();
        let editor = user("e", Some(SupportRole::Editor));
        assert_eq!(
            ADMIN.editable_fields(&editor, now),
            [Field::FirstName, Field::LastName, Field::Email, Field::ApiUser, Field::SupportRole, Field::Active]
        );
        assert!(VIEWER.editable_fields(&editor, now).is_empty());
        assert!(EDITOR.editable_fields(&user("a", Some(SupportRole::Administrator)), now).is_empty());
        let me = user("me", Some(SupportRole::Administrator));
        assert!(!ADMIN.editable_fields(&me, now).contains(&Field::SupportRole), "nobody changes their own role");
        assert!(!ADMIN.editable_fields(&user("api", None), now).contains(&Field::SupportRole));
        assert!(!ADMIN.can_delete(&me));
        assert!(ADMIN.can_delete(&editor) && EDITOR.can_delete(&editor) && !VIEWER.can_delete(&editor));
    }
}
