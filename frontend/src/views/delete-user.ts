/**
 * Delete user: confirm, with the warning that it cannot be undone; guards
 * refuse with their sentence (your own account), and a user the signed-in
 * user may not act on gets the permission page.
 */
import { api, ifMatch, unexpected, type User } from "../api/client";
import { button, summaryList, warningText } from "../components/govuk";
import { CHANGED_BEFORE_DELETE, problemErrors, type FieldErrors } from "../forms/errors";
import { FormFlow, type Submission } from "../forms/form-page";
import { flash } from "../flash";
import { fullName } from "../format";
import { html } from "../html";
import type { Page } from "../page";
import { paths } from "../paths";
import { refusal } from "../roles";
import { navigate, type Visit } from "../router";
import { signedInUser } from "../session";
import { noPermissionPage } from "./errors";
import { loadUser } from "./user-details";
import { usersListUrl } from "./users";

const flow = new FormFlow();

export async function deleteUserView(visit: Visit): Promise<Page> {
  const user = await loadUser(visit.params.id ?? "");
  const refused = refusal(user, signedInUser());
  return refused ? noPermissionPage(refused) : deletePage(user, []);
}

function deletePage(user: User, errors: FieldErrors): Page {
  return flow.page({
    title: "Confirm you want to delete user",
    caption: fullName(user),
    nav: "users",
    backLink: paths.user(user.id),
    errors,
    content: html`${summaryList([
    { key: "Name", value: fullName(user) },
    { key: "Email address", value: user.email },
  ])}
  ${warningText("Deleting a user is permanent – you cannot undo it.")}
  <form method="post" novalidate data-form="delete-user">
    <div class="govuk-button-group">
      ${button("Delete user", { warning: true })}
      <a class="govuk-link" href="${paths.user(user.id)}">Cancel</a>
    </div>
  </form>`,
    send: (submission) => remove(user, submission),
  });
}

async function remove(user: User, { show }: Submission): Promise<void> {
  const { error, response } = await api.DELETE("/api/v1/users/{id}", {
    params: { path: { id: user.id }, header: { "If-Match": ifMatch(user) } },
  });
  if (response.status === 204) {
    flash(paths.users, "User deleted", `${fullName(user)} has been deleted and told by email.`);
    navigate(usersListUrl());
  } else if (response.status === 409 && error) {
    show(deletePage(user, problemErrors(error)));
  } else if (response.status === 412) {
    show(deletePage(await loadUser(user.id), [{ field: "", message: CHANGED_BEFORE_DELETE }]));
  } else {
    throw unexpected(response, error);
  }
}
