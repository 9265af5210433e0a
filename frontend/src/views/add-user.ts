/**
 * Add user (editors and administrators): the form, with the role question
 * for a support user offering the roles the signed-in user may give, checked
 * by the API's dry run, then ‘Check your answers’ and ‘Save user’.
 */
import { api, unexpected, type UserDraft } from "../api/client";
import { button, summaryList } from "../components/govuk";
import type { FieldErrors } from "../forms/errors";
import { FormFlow, type Submission } from "../forms/form-page";
import { createBody, FIELD_CHANGE_TEXT, FIELD_LABELS, displayValue, readAnswers, userFields, type UserAnswers } from "../forms/user-form";
import { flash } from "../flash";
import { fullName } from "../format";
import { html } from "../html";
import { redirect, type Page, type Redirect } from "../page";
import { paths } from "../paths";
import { rolesToOffer } from "../roles";
import { navigate } from "../router";
import { signedInUser } from "../session";
import { usersListUrl } from "./users";

const ADD_FIELDS = ["first_name", "last_name", "email", "api_user", "support_role"] as const;

/** The answers so far, kept in memory between the form and the check page. */
let answers: UserAnswers = {};
let checked: UserDraft | null = null;
/** The form and check pages: one submission at a time, and the errors from saving kept for the form's next drawing. */
const flow = new FormFlow();

export function addUserView(): Page {
  return addUserForm(flow.takeErrors());
}

function addUserForm(errors: FieldErrors): Page {
  return flow.page({
    title: "Add user",
    nav: "users",
    backLink: usersListUrl(),
    errors,
    fields: ADD_FIELDS,
    content: html`<form method="post" novalidate data-form="add-user">
    <h2 class="govuk-heading-m">Personal details</h2>
    ${userFields(ADD_FIELDS, answers, errors, rolesToOffer(signedInUser()))}
    ${button("Continue")}
  </form>`,
    send: check,
  });
}

async function check({ entries, show }: Submission): Promise<void> {
  answers = readAnswers(entries);
  const { data, error, response } = await api.POST("/api/v1/users", {
    params: { query: { dry_run: true } },
    body: createBody(answers),
  });
  if (data) {
    checked = data as UserDraft;
    navigate(paths.checkNewUser);
  } else if (response.status === 422 && error?.errors) {
    show(addUserForm(error.errors));
  } else {
    throw unexpected(response, error);
  }
}

export function checkNewUserView(): Page | Redirect {
  const draft = checked;
  if (!draft) return redirect(paths.addUser);
  return flow.page({
    title: "Check your answers",
    caption: "Add user",
    nav: "users",
    backLink: paths.addUser,
    content: html`${summaryList(
    // The role question is asked of support users only.
    ADD_FIELDS.filter((name) => name !== "support_role" || !draft.api_user).map((name) => ({
      key: FIELD_LABELS[name],
      value: displayValue(name, draft),
      change: { href: paths.addUser, hidden: FIELD_CHANGE_TEXT[name] },
    })),
  )}
  <h2 class="govuk-heading-m">Now add the user</h2>
  <p class="govuk-body">We will email ${draft.email} an invitation to sign in to the service.</p>
  <form method="post" novalidate data-form="save-user">
    ${button("Save user")}
  </form>`,
    send: save,
  });
}

async function save(): Promise<void> {
  const { data, error, response } = await api.POST("/api/v1/users", { body: createBody(answers) });
  if (response.status === 201 && data && "id" in data) {
    flash(
      paths.users,
      "User added",
      html`<a class="govuk-notification-banner__link" href="${paths.user(data.id)}">${fullName(data)}</a> has been added and sent an invitation to sign in.`,
    );
    answers = {};
    checked = null;
    navigate(paths.users);
  } else if (response.status === 422 && error?.errors) {
    // Something changed since the check (the address was taken meanwhile): back to the form.
    flow.keepErrors(error.errors);
    checked = null;
    navigate(paths.addUser);
  } else {
    throw unexpected(response, error);
  }
}
