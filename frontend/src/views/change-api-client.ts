/**
 * Change API client (editors and administrators): its scopes and allowed IP
 * addresses on one page, saved with ‘Save changes’. Nothing changed goes
 * back to the client without asking the API.
 */
import { api, unexpected, type ApiClient } from "../api/client";
import { button } from "../components/govuk";
import { answersOfClient, changeClientBody, clientFields, readClientAnswers, type ClientAnswers } from "../forms/api-client-form";
import type { FieldErrors } from "../forms/errors";
import { FormFlow, type Submission } from "../forms/form-page";
import { flash } from "../flash";
import { html } from "../html";
import type { Page } from "../page";
import { paths } from "../paths";
import { navigate, type Visit } from "../router";
import { scopesToOffer } from "../scopes";
import { signedInUser } from "../session";
import { loadApiClient } from "./api-client-details";

const CHANGE_FIELDS = ["scopes", "allowed_ips"] as const;

const flow = new FormFlow();

export async function changeApiClientView(visit: Visit): Promise<Page> {
  const client = await loadApiClient(visit.params.id ?? "");
  return changeForm(client, answersOfClient(client), []);
}

function changeForm(client: ApiClient, answers: ClientAnswers, errors: FieldErrors): Page {
  return flow.page({
    title: "Change API client",
    caption: client.name,
    nav: "api-clients",
    backLink: paths.apiClient(client.id),
    errors,
    fields: CHANGE_FIELDS,
    content: html`<form method="post" novalidate data-form="change-api-client">
    ${clientFields(CHANGE_FIELDS, answers, errors, scopesToOffer(signedInUser()))}
    <div class="govuk-button-group">
      ${button("Save changes")}
      <a class="govuk-link" href="${paths.apiClient(client.id)}">Cancel</a>
    </div>
  </form>`,
    send: (submission) => save(client, submission),
  });
}

async function save(client: ApiClient, { entries, show }: Submission): Promise<void> {
  const answers = readClientAnswers(entries);
  const body = changeClientBody(client, answers, scopesToOffer(signedInUser()));
  if (Object.keys(body).length === 0) {
    navigate(paths.apiClient(client.id));
    return;
  }
  const { data, error, response } = await api.PATCH("/api/v1/api-clients/{id}", { params: { path: { id: client.id } }, body });
  if (data) {
    flash(paths.apiClient(client.id), "API client updated");
    navigate(paths.apiClient(client.id));
  } else if (response.status === 422 && error?.errors) {
    show(changeForm(client, answers, error.errors));
  } else {
    throw unexpected(response, error);
  }
}
