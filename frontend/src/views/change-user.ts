/**
 * Change user: the user form for the fields the signed-in user may change
 * now (none: the permission page), checked by the API's dry run, then ‘Check
 * your changes’ (old and new values) and ‘Save changes’ with `If-Match`, so
 * a change made meanwhile by someone else is never overwritten (412).
 */
import { api, ifMatch, unexpected, type User } from "../api/client";
import { button, buttonLink, errorSummary, heading, insetText, summaryList, twoThirds } from "../components/govuk";
import { CHANGED_BY_SOMEONE_ELSE, problemErrors, type FieldErrors } from "../forms/errors";
import { FormFlow, type Submission } from "../forms/form-page";
import {
  FIELD_LABELS, FIELD_ORDER, answersOf, changeFields, changesBody, displayValue, editLockNotice, readAnswers, userFields, type UserAnswers,
} from "../forms/user-form";
import { flash } from "../flash";
import { fullName } from "../format";
import { html } from "../html";
import { redirect, type Page, type Redirect } from "../page";
import { paths } from "../paths";
import { refusal, rolesToOffer } from "../roles";
import { navigate, type Visit } from "../router";
import { signedInUser } from "../session";
import { noPermissionPage } from "./errors";
import { loadUser, userRows } from "./user-details";

interface Draft {
  /** The user as loaded when the change began: its version goes in `If-Match`. */
  base: User;
  answers: UserAnswers;
  /** The user as the dry run says it would be. */
  preview: User | null;
}

let draft: Draft | null = null;
/** The form and check pages: one submission at a time, and the errors from saving kept for the form's next drawing. */
const flow = new FormFlow();

export async function changeUserView(visit: Visit): Promise<Page> {
  const user = await loadUser(visit.params.id ?? "");
  const refused = refusal(user, signedInUser());
  if (refused) return noPermissionPage(refused);
  if (!draft || draft.base.id !== user.id || draft.base.version !== user.version) {
    draft = { base: user, answers: answersOf(user), preview: null };
  }
  return changeForm(draft, flow.takeErrors());
}

function changeForm(current: Draft, errors: FieldErrors): Page {
  const user = current.base;
  const fields = changeFields(user);
  return flow.page({
    title: "Change user",
    caption: fullName(user),
    nav: "users",
    backLink: paths.user(user.id),
    errors,
    fields,
    content: html`${editLockNotice(user)}
  <form method="post" novalidate data-form="change-user">
    ${userFields(fields, current.answers, errors, rolesToOffer(signedInUser()))}
    <div class="govuk-button-group">
      ${button("Continue")}
      <a class="govuk-link" href="${paths.user(user.id)}">Cancel</a>
    </div>
  </form>`,
    send: (submission) => check(current, submission),
  });
}

async function check(current: Draft, { entries, show }: Submission): Promise<void> {
  current.answers = readAnswers(entries);
  const user = current.base;
  const body = changesBody(user, current.answers);
  if (Object.keys(body).length === 0) {
    draft = null;
    navigate(paths.user(user.id));
    return;
  }
  const { data, error, response } = await api.PATCH("/api/v1/users/{id}", {
    params: { path: { id: user.id }, query: { dry_run: true }, header: { "If-Match": ifMatch(user) } },
    body,
  });
  if (data) {
    current.preview = data;
    navigate(paths.checkChanges(user.id));
  } else if (response.status === 412) {
    // Someone else changed the user first: start again from the user as it is now.
    const fresh = await loadUser(user.id);
    draft = { base: fresh, answers: answersOf(fresh), preview: null };
    show(changeForm(draft, [{ field: "", message: CHANGED_BY_SOMEONE_ELSE }]));
  } else if ((response.status === 422 || response.status === 409) && error) {
    show(changeForm(current, problemErrors(error)));
  } else {
    throw unexpected(response, error);
  }
}

/** The fields whose value the change would alter, old and new as they read. */
export function differences(before: User, after: User): { label: string; old: string; new: string }[] {
  return FIELD_ORDER.filter((name) => displayValue(name, before) !== displayValue(name, after)).map((name) => ({
    label: FIELD_LABELS[name],
    old: displayValue(name, before),
    new: displayValue(name, after),
  }));
}

export function checkChangesView(visit: Visit): Page | Redirect {
  const id = visit.params.id ?? "";
  if (!draft || draft.base.id !== id || !draft.preview) return redirect(paths.changeUser(id));
  return checkPage(draft, draft.preview, []);
}

function checkPage(current: Draft, preview: User, errors: FieldErrors): Page {
  const user = current.base;
  const changes = differences(user, preview);
  const newEmail = preview.email !== user.email;
  return flow.page({
    title: "Check your changes",
    caption: fullName(user),
    nav: "users",
    backLink: paths.changeUser(user.id),
    errors,
    after: html`<div class="govuk-grid-row"><div class="govuk-grid-column-full">
  <table class="govuk-table">
    <caption class="govuk-table__caption govuk-table__caption--m">Your changes</caption>
    <thead class="govuk-table__head">
      <tr class="govuk-table__row">
        <th scope="col" class="govuk-table__header">Detail</th>
        <th scope="col" class="govuk-table__header">Old</th>
        <th scope="col" class="govuk-table__header">New</th>
      </tr>
    </thead>
    <tbody class="govuk-table__body">
      ${changes.map(
        (change) => html`<tr class="govuk-table__row">
        <th scope="row" class="govuk-table__header">${change.label}</th>
        <td class="govuk-table__cell">${change.old}</td>
        <td class="govuk-table__cell">${change.new}</td>
      </tr>`,
      )}
    </tbody>
  </table>
</div></div>
${twoThirds(html`<p class="govuk-body"><a class="govuk-link" href="${paths.changeUser(user.id)}">Change your answers</a></p>
  ${newEmail ? insetText(`We will email ${preview.email} an invitation to sign in, because it is a new email address for this user.`) : ""}
  <form method="post" novalidate data-form="save-changes">
    <div class="govuk-button-group">
      ${button("Save changes")}
      <a class="govuk-link" href="${paths.user(user.id)}">Cancel</a>
    </div>
  </form>`)}`,
    send: (submission) => save(current, preview, submission),
  });
}

/** What the check page becomes when someone else changed the user first. */
function conflictPage(fresh: User): Page {
  return {
    title: "Check your changes",
    nav: "users",
    backLink: paths.user(fresh.id),
    content: twoThirds(html`${errorSummary([{ text: CHANGED_BY_SOMEONE_ELSE }])}
  ${heading("Check your changes", fullName(fresh))}
  <p class="govuk-body">Your changes have not been saved.</p>
  <h2 class="govuk-heading-m">The user’s details now</h2>
  ${summaryList(userRows(fresh, false))}
  <div class="govuk-button-group">
    ${buttonLink("Make your changes again", paths.changeUser(fresh.id))}
    <a class="govuk-link" href="${paths.user(fresh.id)}">Cancel</a>
  </div>`),
  };
}

async function save(current: Draft, preview: User, { show }: Submission): Promise<void> {
  const user = current.base;
  const { data, error, response } = await api.PATCH("/api/v1/users/{id}", {
    params: { path: { id: user.id }, header: { "If-Match": ifMatch(user) } },
    body: changesBody(user, current.answers),
  });
  if (data) {
    draft = null;
    flash(paths.user(user.id), "User updated");
    navigate(paths.user(user.id));
  } else if (response.status === 412) {
    draft = null;
    show(conflictPage(await loadUser(user.id)));
  } else if (response.status === 422 && error?.errors) {
    flow.keepErrors(error.errors);
    navigate(paths.changeUser(user.id));
  } else if (response.status === 409 && error) {
    show(checkPage(current, preview, problemErrors(error)));
  } else {
    throw unexpected(response, error);
  }
}
