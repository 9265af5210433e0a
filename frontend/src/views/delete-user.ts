/** Delete user: confirm, with the warning that it cannot be undone; guards refuse with their sentence. */
import { api, ifMatch, unexpected, type User } from "../api/client";
import { button, errorSummary, heading, summaryList, warningText } from "../components/govuk";
import { CHANGED_BEFORE_DELETE, problemErrors, summaryItems, type FieldErrors } from "../forms/errors";
import { flash } from "../flash";
import { fullName } from "../format";
import { html } from "../html";
import type { Page } from "../page";
import { paths } from "../paths";
import { currentVisit, fail, navigate, show, type Visit } from "../router";
import { loadUser } from "./user-details";
import { usersListUrl } from "./users";

export async function deleteUserView(visit: Visit): Promise<Page> {
  return deletePage(await loadUser(visit.params.id ?? ""), []);
}

function deletePage(user: User, errors: FieldErrors): Page {
  return {
    title: "Confirm you want to delete user",
    nav: "users",
    backLink: paths.user(user.id),
    content: html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
  ${errors.length ? errorSummary(summaryItems(errors, [])) : ""}
  ${heading("Confirm you want to delete user", fullName(user))}
  ${summaryList([
    { key: "Name", value: fullName(user) },
    { key: "Email address", value: user.email },
  ])}
  ${warningText("Deleting a user is permanent – you cannot undo it.")}
  <form method="post" novalidate data-form="delete-user">
    <div class="govuk-button-group">
      ${button("Delete user", { warning: true })}
      <a class="govuk-link" href="${paths.user(user.id)}">Cancel</a>
    </div>
  </form>
</div></div>`,
    mount(main) {
      main.querySelector("form[data-form=delete-user]")?.addEventListener("submit", (event) => {
        event.preventDefault();
        void remove(user);
      });
    },
  };
}

let deleting = false;

async function remove(user: User): Promise<void> {
  if (deleting) return;
  deleting = true;
  const visit = currentVisit();
  try {
    const { error, response } = await api.DELETE("/api/v1/users/{id}", {
      params: { path: { id: user.id }, header: { "If-Match": ifMatch(user) } },
    });
    if (response.status === 204) {
      flash(paths.users, "User deleted", `${fullName(user)} has been deleted and told by email.`);
      navigate(usersListUrl());
    } else if (response.status === 409 && error) {
      show(deletePage(user, problemErrors(error)), visit);
    } else if (response.status === 412) {
      show(deletePage(await loadUser(user.id), [{ field: "", message: CHANGED_BEFORE_DELETE }]), visit);
    } else {
      throw unexpected(response, error);
    }
  } catch (e) {
    fail(e, visit);
  } finally {
    deleting = false;
  }
}
