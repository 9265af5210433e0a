//! The guards (contract §3): changes that are valid but refused, with 409.

use crate::messages;
use crate::user::{UserChanges, UserState};

/// A refused action and the sentence that says why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Guard {
    /// Deleting one's own account.
    #[error("{}", messages::CANNOT_DELETE_SELF)]
    DeleteSelf,
    /// Deactivating one's own account.
    #[error("{}", messages::CANNOT_DEACTIVATE_SELF)]
    DeactivateSelf,
    /// Making one's own account an API user.
    #[error("{}", messages::CANNOT_MAKE_SELF_API_USER)]
    MakeSelfApiUser,
    /// Changing one's own role.
    #[error("{}", messages::CANNOT_CHANGE_OWN_ROLE)]
    ChangeOwnRole,
    /// Leaving no active administrator.
    #[error("{}", messages::LAST_ACTIVE_ADMINISTRATOR)]
    LastActiveAdministrator,
}

impl Guard {
    /// The sentence to show.
    pub fn message(self) -> &'static str {
        match self {
            Self::DeleteSelf => messages::CANNOT_DELETE_SELF,
            Self::DeactivateSelf => messages::CANNOT_DEACTIVATE_SELF,
            Self::MakeSelfApiUser => messages::CANNOT_MAKE_SELF_API_USER,
            Self::ChangeOwnRole => messages::CANNOT_CHANGE_OWN_ROLE,
            Self::LastActiveAdministrator => messages::LAST_ACTIVE_ADMINISTRATOR,
        }
    }
}

/// A support user may not lock themselves out: no deactivating, no making
/// their own account an API user, and no changing their own role.
pub fn check_change_to_own_account(actor_id: &str, target: &UserState, changes: &UserChanges) -> Result<(), Guard> {
    if actor_id != target.id {
        return Ok(());
    }
    if changes.active == Some(false) {
        return Err(Guard::DeactivateSelf);
    }
    if changes.api_user == Some(true) {
        return Err(Guard::MakeSelfApiUser);
    }
    if changes.support_role.is_some() {
        return Err(Guard::ChangeOwnRole);
    }
    Ok(())
}

/// A support user may not delete their own account.
pub fn check_delete_of_own_account(actor_id: &str, target: &UserState) -> Result<(), Guard> {
    if actor_id == target.id {
        Err(Guard::DeleteSelf)
    } else {
        Ok(())
    }
}

/// An action that takes an active administrator away must leave at least
/// one other. `others_remain` says whether an active administrator besides
/// the target exists, as seen inside the same serialised transaction as the
/// write.
pub fn check_administrators_remain(others_remain: bool) -> Result<(), Guard> {
    if others_remain {
        Ok(())
    } else {
        Err(Guard::LastActiveAdministrator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: &str) -> UserState {
        UserState {
            id: id.into(),
            first_name: "Ada".into(),
            last_name: "Lovelace".into(),
            email: "ada@education.gov.uk".into(),
            api_user: false,
            active: true,
            last_signed_in_at: None,
            support_role: Some(crate::role::SupportRole::Administrator),
        }
    }

    #[test]
    fn support_users_cannot_deactivate_or_demote_themselves() {
        let me = user("me");
        let deactivate = UserChanges { active: Some(false), ..Default::default() };
        let demote = UserChanges { api_user: Some(true), ..Default::default() };
        assert_eq!(
            check_change_to_own_account("me", &me, &deactivate).unwrap_err().message(),
            "You cannot deactivate your own account"
        );
        assert_eq!(
            check_change_to_own_account("me", &me, &demote).unwrap_err().message(),
            "You cannot make your own account an API user"
        );
        assert_eq!(check_change_to_own_account("someone else", &me, &deactivate), Ok(()));
    }

    #[test]
    fn support_users_cannot_delete_themselves() {
        assert_eq!(
            check_delete_of_own_account("me", &user("me")).unwrap_err().to_string(),
            "You cannot delete your own account"
        );
        assert_eq!(check_delete_of_own_account("me", &user("you")), Ok(()));
    }

    #[test]
    fn the_last_active_administrator_stays() {
        assert_eq!(
            check_administrators_remain(false).unwrap_err().message(),
            "There must be at least one active administrator"
        );
        assert_eq!(check_administrators_remain(true), Ok(()));
    }

    #[test]
    fn support_users_cannot_change_their_own_role() {
        let promote = UserChanges { support_role: Some(Some(crate::role::SupportRole::Viewer)), ..Default::default() };
        assert_eq!(check_change_to_own_account("me", &user("me"), &promote), Err(Guard::ChangeOwnRole));
        assert_eq!(check_change_to_own_account("me", &user("you"), &promote), Ok(()));
    }
}
