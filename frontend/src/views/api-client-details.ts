/**
 * View API client: its details, and for editors and administrators ‘Change’
 * links (its scopes and allowed IP addresses) and the actions on it, then its
 * usage. Just after it was added or rotated, its token is shown here once,
 * with a button to copy it.
 */
import { api, SignInRequired, unexpected, type ApiClient, type ApiClientUsage } from "../api/client";
import { clientStatusTag, heading, lines, summaryList, twoThirds, warningText, type SummaryRow } from "../components/govuk";
import { usageSection } from "../components/usage";
import { takeFlash } from "../flash";
import { formatDate, formatDateTime } from "../format";
import { html, type SafeHtml } from "../html";
import { takeToken } from "../one-time-token";
import type { Page } from "../page";
import { paths } from "../paths";
import { canMakeChanges } from "../roles";
import type { Visit } from "../router";
import { scopeNames } from "../scopes";
import { signedInUser } from "../session";
import { apiClientsListUrl } from "./api-clients";

export async function loadApiClient(id: string): Promise<ApiClient> {
  const { data, error, response } = await api.GET("/api/v1/api-clients/{id}", { params: { path: { id } } });
  if (!data) throw unexpected(response, error);
  return data;
}

/**
 * The client's usage, or `null` when the API does not give it: the page is
 * shown without it then (but a lapsed session still asks to sign in).
 */
async function loadUsage(id: string): Promise<ApiClientUsage | null> {
  try {
    const { data } = await api.GET("/api/v1/api-clients/{id}/usage", { params: { path: { id } } });
    return data ?? null;
  } catch (error) {
    if (error instanceof SignInRequired) throw error;
    return null;
  }
}

/** The token, once: a read-only field to select it from, and a button to copy it. */
function tokenPanel(token: string): SafeHtml {
  return html`<div class="govuk-form-group" data-module="one-time-token">
  <h2 class="govuk-heading-m">Token</h2>
  ${warningText("You will not be able to see this token again. Copy it now and keep it somewhere safe, such as a password manager or secrets store.")}
  <label class="govuk-label" for="token">Token for this API client</label>
  <input class="govuk-input govuk-!-width-full" id="token" name="token" type="text" value="${token}" readonly spellcheck="false" autocomplete="off">
  <p class="govuk-body govuk-!-margin-top-3">
    <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" data-module="govuk-button" data-action="copy-token">Copy token</button>
  </p>
  <p class="govuk-body" role="status" data-copy-status></p>
</div>`;
}

/** The summary rows for a client; with `changeLinks`, a ‘Change’ link on its scopes and allowed IP addresses. */
export function clientRows(client: ApiClient, changeLinks: boolean): SummaryRow[] {
  const change = (hidden: string) => (changeLinks ? { href: paths.changeApiClient(client.id), hidden } : undefined);
  return [
    { key: "Name", value: client.name },
    { key: "Owner", value: client.owner.name },
    { key: "Status", value: clientStatusTag(client.status) },
    { key: "Expires on", value: formatDate(client.expires_on) },
    { key: "Scopes", value: lines(scopeNames(client.scopes)), change: change("scopes") },
    { key: "Allowed IP addresses", value: client.allowed_ips.length ? lines(client.allowed_ips) : "Any", change: change("allowed IP addresses") },
    ...(client.previous_token_expires_at
      ? [{ key: "Previous token", value: `Works until ${formatDateTime(client.previous_token_expires_at)}` }]
      : []),
    { key: "Added", value: formatDateTime(client.created_at) },
  ];
}

/** Rotate (an active client's token), revoke (unless revoked) and delete. */
function actions(client: ApiClient): SafeHtml {
  return html`<ul class="govuk-list">
    ${client.status === "active" ? html`<li><a class="govuk-link" href="${paths.rotateApiClient(client.id)}">Rotate token</a></li>` : ""}
    ${client.status !== "revoked" ? html`<li><a class="govuk-link" href="${paths.revokeApiClient(client.id)}">Revoke API client</a></li>` : ""}
    <li><a class="govuk-link" href="${paths.deleteApiClient(client.id)}">Delete API client</a></li>
  </ul>`;
}

export async function apiClientDetailsView(visit: Visit): Promise<Page> {
  const id = visit.params.id ?? "";
  const [client, usage] = await Promise.all([loadApiClient(id), loadUsage(id)]);
  const token = takeToken(client.id);
  const changes = canMakeChanges(signedInUser());
  return {
    title: "View API client",
    nav: "api-clients",
    backLink: apiClientsListUrl(),
    content: html`${takeFlash(paths.apiClient(id))}
${twoThirds(html`${heading(client.name, "API client")}
  ${token ? tokenPanel(token) : ""}
  ${summaryList(clientRows(client, changes))}
  ${changes ? actions(client) : ""}
  ${usageSection(usage)}`)}`,
    mount(main) {
      const copy = main.querySelector<HTMLButtonElement>("button[data-action=copy-token]");
      const status = main.querySelector<HTMLElement>("[data-copy-status]");
      const field = main.querySelector<HTMLInputElement>("#token");
      copy?.addEventListener("click", () => {
        if (!field || !status) return;
        navigator.clipboard.writeText(field.value).then(
          () => {
            status.textContent = "Token copied";
          },
          () => {
            // No clipboard access: select the token so it can be copied by hand.
            field.select();
            status.textContent = "Select the token and copy it";
          },
        );
      });
    },
  };
}
