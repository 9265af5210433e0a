/**
 * The user form, shared by ‘Add user’ and ‘Change user’: the same questions,
 * labels and ids (each field's id is its JSON name, so error links land on it).
 */
import type { CreateUser, EditableField, UpdateUser, User } from "../api/client";
import { textInput, radios } from "../components/fields";
import { html, type SafeHtml } from "../html";
import { yesNo } from "../format";
import { messageFor, type FieldErrors } from "./errors";

/** The answers as typed: strings, with radios as "yes"/"no" and unanswered as absent. */
export interface UserAnswers {
  first_name?: string;
  last_name?: string;
  email?: string;
  api_user?: "yes" | "no";
  active?: "yes" | "no";
}

export const FIELD_ORDER: readonly EditableField[] = ["first_name", "last_name", "email", "api_user", "active"];

/** How each field is named on the page (labels, summary list keys). */
export const FIELD_LABELS: Record<EditableField, string> = {
  first_name: "First name",
  last_name: "Last name",
  email: "Email address",
  api_user: "Is the account an API user?",
  active: "Is the account active?",
};

/** The end of a ‘Change’ link's text for screen readers. */
export const FIELD_CHANGE_TEXT: Record<EditableField, string> = {
  first_name: "first name",
  last_name: "last name",
  email: "email address",
  api_user: "whether the account is an API user",
  active: "whether the account is active",
};

const YES_NO = [
  { value: "yes", text: "Yes" },
  { value: "no", text: "No" },
] as const;

function field(name: EditableField, answers: UserAnswers, errors: FieldErrors): SafeHtml {
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
        items: YES_NO,
        value: answers.api_user,
        error,
        inline: true,
      });
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

/** The questions for `fields`, in the usual order. */
export function userFields(fields: readonly EditableField[], answers: UserAnswers, errors: FieldErrors): SafeHtml {
  return html`${FIELD_ORDER.filter((name) => fields.includes(name)).map((name) => field(name, answers, errors))}`;
}

/** Reads the answers from a submitted form's entries. */
export function readAnswers(entries: Iterable<[string, FormDataEntryValue]>): UserAnswers {
  const answers: UserAnswers = {};
  for (const [name, value] of entries) {
    if (typeof value !== "string") continue;
    if (name === "first_name" || name === "last_name" || name === "email") answers[name] = value;
    if ((name === "api_user" || name === "active") && (value === "yes" || value === "no")) answers[name] = value;
  }
  return answers;
}

export function answersOf(user: Pick<User, EditableField>): UserAnswers {
  return {
    first_name: user.first_name,
    last_name: user.last_name,
    email: user.email,
    api_user: user.api_user ? "yes" : "no",
    active: user.active ? "yes" : "no",
  };
}

/**
 * The body of `create_user` for these answers. Blank text goes as it is and an
 * unanswered Yes/No question is left out, so that the API names each one
 * (`Enter first name`, `Select if the account is an API user`). The schema
 * marks `api_user` required, hence the one loose cast.
 */
export function createBody(answers: UserAnswers): CreateUser {
  const body: Partial<CreateUser> = {
    first_name: answers.first_name ?? "",
    last_name: answers.last_name ?? "",
    email: answers.email ?? "",
  };
  if (answers.api_user !== undefined) body.api_user = answers.api_user === "yes";
  return body as CreateUser;
}

/**
 * The body of `update_user`: only the editable fields whose answer differs
 * from the user as loaded (so an unchanged, locked field is never sent).
 */
export function changesBody(user: User, answers: UserAnswers): UpdateUser {
  const body: UpdateUser = {};
  for (const name of user.editable_fields) {
    const answer = answers[name];
    if (name === "api_user" || name === "active") {
      if (answer === undefined) continue;
      const value = answer === "yes";
      if (value !== user[name]) body[name] = value;
    } else if (typeof answer === "string" && answer !== user[name]) {
      body[name] = answer;
    }
  }
  return body;
}

/** How a field's value reads in a summary list. */
export function displayValue(name: EditableField, user: Pick<User, EditableField>): string {
  const value = user[name];
  return typeof value === "boolean" ? yesNo(value) : value;
}
