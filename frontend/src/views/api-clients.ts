/** API clients: every client, with its owner and status, 25 a page; ‘Add API client’ for editors and administrators. */
import { api, unexpected, type ApiClient } from "../api/client";
import { buttonLink, clientStatusTag, heading, table } from "../components/govuk";
import { pagination } from "../components/pagination";
import { takeFlash } from "../flash";
import { formatDate, plural } from "../format";
import { html } from "../html";
import { redirect, type Page, type Redirect } from "../page";
import { paths } from "../paths";
import { canMakeChanges } from "../roles";
import type { Visit } from "../router";
import { signedInUser } from "../session";

export const CLIENTS_PER_PAGE = 25;

let lastListUrl: string = paths.apiClients;

/** The list as last seen (its page), for Back links. */
export function apiClientsListUrl(): string {
  return lastListUrl;
}

function pageUrl(page: number): string {
  return page > 1 ? `${paths.apiClients}?page=${page}` : paths.apiClients;
}

const COLUMNS = [{ text: "Name" }, { text: "Owner" }, { text: "Expires on" }, { text: "Status" }];

function cells(client: ApiClient) {
  return [html`<a class="govuk-link" href="${paths.apiClient(client.id)}">${client.name}</a>`, client.owner.name, formatDate(client.expires_on), clientStatusTag(client.status)];
}

export async function apiClientsView(visit: Visit): Promise<Page | Redirect> {
  const requested = Number(visit.query.get("page") ?? "1");
  const page = Number.isInteger(requested) && requested >= 1 ? requested : 1;
  const { data, error, response } = await api.GET("/api/v1/api-clients", { params: { query: { page, per_page: CLIENTS_PER_PAGE } } });
  if (!data) throw unexpected(response, error);
  if (data.items.length === 0 && page > 1 && data.total_pages > 0) return redirect(pageUrl(data.total_pages));
  lastListUrl = pageUrl(page);
  const first = (page - 1) * CLIENTS_PER_PAGE + 1;
  const last = first + data.items.length - 1;
  const results =
    data.items.length === 0
      ? html`<p class="govuk-body">There are no API clients yet.</p>`
      : html`<p class="govuk-body">Showing ${first} to ${last} of ${plural(data.total, "API client")}</p>
  ${table({ caption: "API clients", captionSize: "hidden", columns: COLUMNS, rows: data.items.map(cells) })}
  ${pagination(page, data.total_pages, pageUrl)}`;
  return {
    title: `API clients (${data.total})`,
    nav: "api-clients",
    content: html`${takeFlash(paths.apiClients)}
${heading("API clients")}
<p class="govuk-body">Systems use an API client’s token to call the API, to read training provider data for example. Each client belongs to a user: the person who added it, unless they chose someone else.</p>
${canMakeChanges(signedInUser()) ? buttonLink("Add API client", paths.addApiClient) : ""}
${results}`,
  };
}
