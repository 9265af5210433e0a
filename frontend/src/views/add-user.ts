/** Add user: the form, checked by the API's dry run, then ‘Check your answers’ and ‘Save user’. */
import { api, unexpected, type UserDraft } from "../api/client";
import { button, errorSummary, heading, summaryList } from "../components/govuk";
import { summaryItems, type FieldErrors } from "../forms/errors";
import { createBody, FIELD_CHANGE_TEXT, FIELD_LABELS, displayValue, readAnswers, userFields, type UserAnswers } from "../forms/user-form";
import { flash } from "../flash";
import { fullName } from "../format";
import { html } from "../html";
import { redirect, type Page, type Redirect } from "../page";
import { paths } from "../paths";
import { currentVisit, fail, navigate, show } from "../router";
import { usersListUrl } from "./users";

const ADD_FIELDS = ["first_name", "last_name", "email", "api_user"] as const;

/** The answers so far, kept in memory between the form and the check page. */
let answers: UserAnswers = {};
let checked: UserDraft | null = null;
/** Errors from saving, shown once when the form is next drawn. */
let pendingErrors: FieldErrors = [];

export function addUserView(): Page {
  const errors = pendingErrors;
  pendingErrors = [];
  return addUserForm(errors);
}

function addUserForm(errors: FieldErrors): Page {
  return {
    title: "Add user",
    nav: "users",
    backLink: usersListUrl(),
    content: html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
  ${errors.length ? errorSummary(summaryItems(errors, ADD_FIELDS)) : ""}
  ${heading("Add user")}
  <form method="post" novalidate data-form="add-user">
    <h2 class="govuk-heading-m">Personal details</h2>
    ${userFields(ADD_FIELDS, answers, errors)}
    ${button("Continue")}
  </form>
</div></div>`,
    mount(main) {
      const form = main.querySelector<HTMLFormElement>("form[data-form=add-user]");
      form?.addEventListener("submit", (event) => {
        event.preventDefault();
        answers = readAnswers(new FormData(form));
        void check();
      });
    },
  };
}

async function check(): Promise<void> {
  const visit = currentVisit();
  try {
    const { data, error, response } = await api.POST("/api/v1/users", {
      params: { query: { dry_run: true } },
      body: createBody(answers),
    });
    if (data) {
      checked = data as UserDraft;
      navigate(paths.checkNewUser);
    } else if (response.status === 422 && error?.errors) {
      show(addUserForm(error.errors), visit);
    } else {
      throw unexpected(response, error);
    }
  } catch (e) {
    fail(e, visit);
  }
}

export function checkNewUserView(): Page | Redirect {
  const draft = checked;
  if (!draft) return redirect(paths.addUser);
  return {
    title: "Check your answers",
    nav: "users",
    backLink: paths.addUser,
    content: html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
  ${heading("Check your answers", "Add user")}
  ${summaryList(
    ADD_FIELDS.map((name) => ({
      key: FIELD_LABELS[name],
      value: displayValue(name, draft),
      change: { href: paths.addUser, hidden: FIELD_CHANGE_TEXT[name] },
    })),
  )}
  <h2 class="govuk-heading-m">Now add the user</h2>
  <p class="govuk-body">We will email ${draft.email} an invitation to sign in to the service.</p>
  <form method="post" novalidate data-form="save-user">
    ${button("Save user")}
  </form>
</div></div>`,
    mount(main) {
      main.querySelector("form[data-form=save-user]")?.addEventListener("submit", (event) => {
        event.preventDefault();
        void save();
      });
    },
  };
}

let saving = false;

async function save(): Promise<void> {
  if (saving) return;
  saving = true;
  const visit = currentVisit();
  try {
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
      pendingErrors = error.errors;
      checked = null;
      navigate(paths.addUser);
    } else {
      throw unexpected(response, error);
    }
  } catch (e) {
    fail(e, visit);
  } finally {
    saving = false;
  }
}
