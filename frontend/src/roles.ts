/**
 * Support users' roles (contract §9), in one place: how each is named and
 * described on the page, which ones the signed-in user may give, and the
 * API's sentences for what a role does not allow.
 *
 * A viewer reads only; an editor also adds, changes and deletes users who are
 * not administrators, and API clients; an administrator does everything. For
 * a user, the API says what the signed-in user may do to them
 * (`editable_fields`, `can_delete`); the rest follows from their own role.
 */
import type { SupportRole, User } from "./api/client";

export interface RoleOption {
  value: SupportRole;
  text: string;
  hint: string;
}

/** The roles, least privileged first, as the role question offers them. */
export const ROLES: readonly RoleOption[] = [
  { value: "viewer", text: "Viewer", hint: "Can view users, API clients and activity" },
  { value: "editor", text: "Editor", hint: "Can also add, change and delete users and API clients" },
  { value: "administrator", text: "Administrator", hint: "Can also add, change and delete administrators" },
];

/** The role question's legend. */
export const ROLE_QUESTION = "What is the user's role?";

/** What the role column and rows say for an account that has no role. */
export const API_USER_ROLE = "API user";

/** The API's 403 for a viewer's change. */
export const NO_PERMISSION = "You do not have permission to make changes";

/** The API's 403 for an editor's change to an administrator. */
export const ADMINISTRATORS_ONLY = "Only an administrator can add, change or delete an administrator";

/** A role as the page names it: `Editor`; `API user` for none (API users have no role). */
export function roleName(role: string | null | undefined): string {
  if (role === null || role === undefined) return API_USER_ROLE;
  return ROLES.find((option) => option.value === role)?.text ?? role;
}

export function isRole(value: unknown): value is SupportRole {
  return ROLES.some((option) => option.value === value);
}

/** The signed-in user, as far as their permissions go. */
export type Caller = Pick<User, "api_user" | "support_role"> | null;

/** Whether `caller` may add, change and delete anything at all (users, API clients): editors and administrators. */
export function canMakeChanges(caller: Caller): boolean {
  return caller?.support_role === "editor" || caller?.support_role === "administrator";
}

/** The roles `caller` may give: every one for an administrator, all but administrator for an editor. */
export function rolesToOffer(caller: Caller): readonly RoleOption[] {
  if (caller?.support_role === "administrator") return ROLES;
  return canMakeChanges(caller) ? ROLES.filter((option) => option.value !== "administrator") : [];
}

/**
 * Why `caller` may neither change nor delete `user` (the API's sentence), or
 * `null` when they may. Anyone who may act on a user may change something
 * about them (whether they are active, at least), so no editable field means
 * no permission: a viewer's, or an editor's for an administrator.
 */
export function refusal(user: Pick<User, "editable_fields">, caller: Caller): string | null {
  if (user.editable_fields.length > 0) return null;
  return canMakeChanges(caller) ? ADMINISTRATORS_ONLY : NO_PERMISSION;
}
