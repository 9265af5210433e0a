/** Rotate, revoke and delete an API client: each confirmed on its own page. */
import { api, unexpected, type ApiClient } from "../api/client";
import { button, summaryList, warningText } from "../components/govuk";
import { problemErrors, type FieldErrors } from "../forms/errors";
import { FormFlow, type Submission } from "../forms/form-page";
import { flash } from "../flash";
import { formatDate } from "../format";
import { html } from "../html";
import { holdToken } from "../one-time-token";
import type { Page } from "../page";
import { paths } from "../paths";
import { navigate, type Visit } from "../router";
import { apiClientsListUrl } from "./api-clients";
import { loadApiClient } from "./api-client-details";

type Action = "rotate" | "revoke" | "delete";

const flow = new FormFlow();

const TEXT: Record<Action, { heading: string; button: string; warning: string; warn: boolean }> = {
  rotate: {
    heading: "Confirm you want to rotate the token",
    button: "Rotate token",
    warning: "The current token will keep working for a grace period after you rotate it (24 hours unless the service is set up otherwise), so the systems that use it can switch to the new one.",
    warn: false,
  },
  revoke: {
    heading: "Confirm you want to revoke API client",
    button: "Revoke API client",
    warning: "Systems using this client’s token will stop working at once. You cannot undo this.",
    warn: true,
  },
  delete: {
    heading: "Confirm you want to delete API client",
    button: "Delete API client",
    warning: "Deleting an API client is permanent – its token stops working at once and you cannot undo it.",
    warn: true,
  },
};

export const rotateApiClientView = (visit: Visit) => confirmView("rotate", visit);
export const revokeApiClientView = (visit: Visit) => confirmView("revoke", visit);
export const deleteApiClientView = (visit: Visit) => confirmView("delete", visit);

async function confirmView(action: Action, visit: Visit): Promise<Page> {
  return confirmPage(action, await loadApiClient(visit.params.id ?? ""), []);
}

function confirmPage(action: Action, client: ApiClient, errors: FieldErrors): Page {
  const text = TEXT[action];
  return flow.page({
    title: text.heading,
    caption: client.name,
    nav: "api-clients",
    backLink: paths.apiClient(client.id),
    errors,
    content: html`${summaryList([
    { key: "Name", value: client.name },
    { key: "Owner", value: client.owner.name },
    { key: "Expires on", value: formatDate(client.expires_on) },
  ])}
  ${warningText(text.warning)}
  <form method="post" novalidate data-form="${action}-api-client">
    <div class="govuk-button-group">
      ${button(text.button, { warning: text.warn })}
      <a class="govuk-link" href="${paths.apiClient(client.id)}">Cancel</a>
    </div>
  </form>`,
    send: (submission) => confirm(action, client, submission),
  });
}

async function confirm(action: Action, client: ApiClient, { show }: Submission): Promise<void> {
  const params = { params: { path: { id: client.id } } };
  if (action === "delete") {
    const { error, response } = await api.DELETE("/api/v1/api-clients/{id}", params);
    if (response.status !== 204) throw unexpected(response, error);
    flash(paths.apiClients, "API client deleted", `${client.name} has been deleted. Its token no longer works.`);
    navigate(apiClientsListUrl());
  } else if (action === "revoke") {
    const { data, error, response } = await api.POST("/api/v1/api-clients/{id}/revoke", params);
    if (!data) throw unexpected(response, error);
    flash(paths.apiClient(client.id), "API client revoked", `${data.name} has been revoked. Its token no longer works.`);
    navigate(paths.apiClient(client.id));
  } else {
    const { data, error, response } = await api.POST("/api/v1/api-clients/{id}/rotate", params);
    if (response.status === 409 && error) {
      show(confirmPage(action, await loadApiClient(client.id), problemErrors(error)));
      return;
    }
    if (!data) throw unexpected(response, error);
    holdToken(data.client.id, data.token);
    flash(paths.apiClient(client.id), "API client token rotated", `${data.client.name} has a new token. Copy it now.`);
    navigate(paths.apiClient(client.id));
  }
}
