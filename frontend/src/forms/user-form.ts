/**
 * The user form, shared by ‘Add user’ and ‘Change user’: the same questions,
 * labels and ids (each field's id is its JSON name, so error links land on it).
 */
import type { CreateUser, EditableField, SupportRole, UpdateUser, User } from "../api/client";
import { insetText } from "../components/govuk";
import { textInput, radios } from "../components/fields";
import { html, type SafeHtml } from "../html";
import { yesNo } from "../format";
import { isRole, roleName, ROLE_QUESTION, type RoleOption } from "../roles";
import { messageFor, type FieldErrors } from "./errors";

/** The answers as typed: strings, with radios as "yes"/"no" (or the role's name) and unanswered as absent. */
export interface UserAnswers {
  first_name?: string;
  last_name?: string;
  email?: string;
  api_user?: "yes" | "no";
  support_role?: SupportRole;
  active?: "yes" | "no";
}

export const FIELD_ORDER: readonly EditableField[] = ["first_name", "last_name", "email", "api_user", "support_role", "active"];

/** How each field is named on the page (labels, summary list keys). */
export const FIELD_LABELS: Record<EditableField, string> = {
  first_name: "First name",
  last_name: "Last name",
  email: "Email address",
  api_user: "Is the account an API user?",
  support_role: "Role",
  active: "Is the account active?",
};

/** The end of a ‘Change’ link's text for screen readers. */
export const FIELD_CHANGE_TEXT: Record<EditableField, string> = {
  first_name: "first name",
  last_name: "last name",
  email: "email address",
  api_user: "whether the account is an API user",
  support_role: "role",
  active: "whether the account is active",
};

const YES_NO = [
  { value: "yes", text: "Yes" },
  { value: "no", text: "No" },
] as const;

/**
 * One question. The role question, when asked with the API user question, is
 * revealed by answering No to it (`roleQuestion`); the API user radios are
 * then stacked, as GOV.UK's conditional reveal needs.
 */
function field(name: EditableField, answers: UserAnswers, errors: FieldErrors, roles: readonly RoleOption[], roleQuestion?: SafeHtml): SafeHtml {
  const error = messageFor(errors, name);
  switch (name) {
    case "first_name":
    case "last_name":
      return textInput({ name, label: FIELD_LABELS[name], value: answers[name], error, width: "govuk-input--width-20", autocomplete: "off", spellcheck: false });
    case "email":
      return textInput({
        name,
        label: FIELD_LABELS.email,
        hint: "Use a Department for Education address, like name@education.gov.uk",
        value: answers.email,
        error,
        type: "email",
        width: "govuk-input--width-30",
        autocomplete: "off",
        spellcheck: false,
      });
    case "api_user":
      return radios({
        name,
        legend: FIELD_LABELS.api_user,
        hint: "API users can only use the API. They cannot use this website.",
        items: roleQuestion ? [YES_NO[0], { ...YES_NO[1], conditional: roleQuestion }] : YES_NO,
        value: answers.api_user,
        error,
        inline: !roleQuestion,
      });
    case "support_role":
      return radios({ name, legend: ROLE_QUESTION, items: roles, value: answers.support_role, error });
    case "active":
      return radios({
        name,
        legend: FIELD_LABELS.active,
        hint: "People with an inactive account cannot sign in or use the API.",
        items: YES_NO,
        value: answers.active,
        error,
        inline: true,
      });
  }
}

/**
 * The questions for `fields`, in the usual order, with `roles` the ones the
 * role question offers. With the API user question, the role question is
 * inside it, shown when the answer is No.
 */
export function userFields(fields: readonly EditableField[], answers: UserAnswers, errors: FieldErrors, roles: readonly RoleOption[] = []): SafeHtml {
  const asked = FIELD_ORDER.filter((name) => fields.includes(name));
  const nested = asked.includes("api_user") && asked.includes("support_role");
  const roleQuestion = nested ? field("support_role", answers, errors, roles) : undefined;
  return html`${asked
    .filter((name) => !(nested && name === "support_role"))
    .map((name) => field(name, answers, errors, roles, name === "api_user" ? roleQuestion : undefined))}`;
}

/**
 * The fields the change form asks about: what the API says the signed-in
 * user may change, and the role too for an API user whose API user answer
 * may change (becoming a support user needs a role; the API lists
 * `support_role` for support users only).
 */
export function changeFields(user: Pick<User, "api_user" | "editable_fields">): EditableField[] {
  const fields = [...user.editable_fields];
  if (user.api_user && fields.includes("api_user") && !fields.includes("support_role")) fields.push("support_role");
  return FIELD_ORDER.filter((name) => fields.includes(name));
}

/** What the details and change pages say about the edit lock, when it keeps the signed-in user from changing the name and email address. */
export function editLockNotice(user: Pick<User, "editable_fields">): SafeHtml | "" {
  const fields = user.editable_fields;
  return fields.length > 0 && !(fields.includes("email") && fields.includes("first_name"))
    ? insetText("This user has signed in, so their name and email address come from DfE Sign-in and cannot be changed here.")
    : "";
}

/** Reads the answers from a submitted form's entries. */
export function readAnswers(entries: Iterable<[string, FormDataEntryValue]>): UserAnswers {
  const answers: UserAnswers = {};
  for (const [name, value] of entries) {
    if (typeof value !== "string") continue;
    if (name === "first_name" || name === "last_name" || name === "email") answers[name] = value;
    if ((name === "api_user" || name === "active") && (value === "yes" || value === "no")) answers[name] = value;
    if (name === "support_role" && isRole(value)) answers.support_role = value;
  }
  return answers;
}

export function answersOf(user: Pick<User, EditableField>): UserAnswers {
  return {
    first_name: user.first_name,
    last_name: user.last_name,
    email: user.email,
    api_user: user.api_user ? "yes" : "no",
    ...(user.support_role ? { support_role: user.support_role } : {}),
    active: user.active ? "yes" : "no",
  };
}

/**
 * The body of `create_user` for these answers. Blank text goes as it is and an
 * unanswered Yes/No question is left out, so that the API names each one
 * (`Enter first name`, `Select if the account is an API user`). The schema
 * marks `api_user` required, hence the one loose cast. A support user's role
 * goes as answered, and as `null` when unanswered, so that the API asks for
 * it (`Select the user's role`) rather than giving the default; an API user
 * has none, so any role chosen before answering Yes is left out.
 */
export function createBody(answers: UserAnswers): CreateUser {
  const body: Partial<CreateUser> = {
    first_name: answers.first_name ?? "",
    last_name: answers.last_name ?? "",
    email: answers.email ?? "",
  };
  if (answers.api_user !== undefined) body.api_user = answers.api_user === "yes";
  if (answers.api_user === "no") body.support_role = answers.support_role ?? null;
  return body as CreateUser;
}

/**
 * The body of `update_user`: only the fields on the form whose answer
 * differs from the user as loaded (so an unchanged, locked field is never
 * sent). The role goes only for someone who is to be a support user: always
 * when an API user becomes one (`null` if unanswered, for the API to ask for
 * it), else when it changes.
 */
export function changesBody(user: User, answers: UserAnswers): UpdateUser {
  const body: UpdateUser = {};
  const fields = changeFields(user);
  for (const name of fields) {
    if (name === "support_role") continue;
    const answer = answers[name];
    if (name === "api_user" || name === "active") {
      if (answer === undefined) continue;
      const value = answer === "yes";
      if (value !== user[name]) body[name] = value;
    } else if (typeof answer === "string" && answer !== user[name]) {
      body[name] = answer;
    }
  }
  if (fields.includes("support_role") && !(body.api_user ?? user.api_user)) {
    if (body.api_user === false) body.support_role = answers.support_role ?? null;
    else if (answers.support_role !== undefined && answers.support_role !== user.support_role) body.support_role = answers.support_role;
  }
  return body;
}

/** How a field's value reads in a summary list: the role by its name (`API user` for none). */
export function displayValue(name: EditableField, user: Pick<User, EditableField>): string {
  if (name === "support_role") return roleName(user.support_role);
  const value = user[name];
  return typeof value === "boolean" ? yesNo(value) : value;
}
