/** Users: search, filters, a table of 25 a page with each user's role, and GOV.UK pagination. */
import { api, unexpected, type User } from "../api/client";
import { select, textInput } from "../components/fields";
import { button, buttonLink, errorSummary, heading, statusTag, table } from "../components/govuk";
import { pagination } from "../components/pagination";
import { summaryItems } from "../forms/errors";
import { takeFlash } from "../flash";
import { fullName, plural } from "../format";
import { html, type SafeHtml } from "../html";
import { redirect, type Page, type Redirect } from "../page";
import { paths } from "../paths";
import { canMakeChanges, roleName, ROLES } from "../roles";
import { navigate, type Visit } from "../router";
import { signedInUser } from "../session";
import { filtersFrom, usersUrl, type UserFilters } from "../users-query";

export const PER_PAGE = 25;

const COLUMNS = [{ text: "Name" }, { text: "Email address" }, { text: "Role" }, { text: "Status" }];

function cells(user: User) {
  return [html`<a class="govuk-link" href="${paths.user(user.id)}">${fullName(user)}</a>`, user.email, roleName(user.support_role), statusTag(user.active)];
}

let lastListUrl: string = paths.users;

/** The users list as last seen (its page, search and filters), for Back links. */
export function usersListUrl(): string {
  return lastListUrl;
}

export async function usersView(visit: Visit): Promise<Page | Redirect> {
  const filters = filtersFrom(visit.query);
  const { data, error, response } = await api.GET("/api/v1/users", {
    params: {
      query: {
        page: filters.page,
        per_page: PER_PAGE,
        ...(filters.q ? { q: filters.q } : {}),
        ...(filters.status ? { status: filters.status } : {}),
        ...(filters.type ? { type: filters.type } : {}),
        ...(filters.role ? { role: filters.role } : {}),
      },
    },
  });
  if (!data) {
    if (response.status === 422 && error?.errors) return usersPage(filters, null, takeFlash(paths.users), summaryItems(error.errors, ["q"]));
    throw unexpected(response, error);
  }
  if (data.items.length === 0 && filters.page > 1 && data.total_pages > 0) {
    // Past the end (the last user on the last page was deleted, say): show the last page.
    return redirect(usersUrl(filters, data.total_pages));
  }
  lastListUrl = usersUrl(filters, filters.page);
  return usersPage(filters, data, takeFlash(paths.users), []);
}

function usersPage(
  filters: UserFilters & { page: number },
  data: { items: User[]; total: number; total_pages: number } | null,
  banner: SafeHtml,
  errors: { text: string; href?: string | undefined }[],
): Page {
  const filtered = Boolean(filters.q || filters.status || filters.type || filters.role);
  const total = data?.total ?? 0;
  const first = (filters.page - 1) * PER_PAGE + 1;
  const last = first + (data?.items.length ?? 0) - 1;
  const results = !data
    ? ""
    : data.items.length === 0
      ? html`<p class="govuk-body">${filtered ? "No users match your search." : "There are no users on this page."}</p>
  ${filtered ? html`<p class="govuk-body"><a class="govuk-link" href="${paths.users}">Clear search and filters</a></p>` : ""}`
      : html`<p class="govuk-body">Showing ${first} to ${last} of ${plural(total, "user")}${filtered ? " matching your search" : ""}</p>
  ${table({ caption: "Users", captionSize: "hidden", columns: COLUMNS, rows: data.items.map(cells) })}
  ${pagination(filters.page, data.total_pages, (page) => usersUrl(filters, page))}`;
  return {
    title: `Users (${total})`,
    nav: "users",
    content: html`${errors.length ? errorSummary(errors) : ""}${banner}
${heading("Users")}
${canMakeChanges(signedInUser()) ? buttonLink("Add user", paths.addUser) : ""}
<form method="get" action="${paths.users}" novalidate data-form="search" class="govuk-!-margin-bottom-6">
  <div class="govuk-grid-row">
    <div class="govuk-grid-column-two-thirds">
      ${textInput({ name: "q", label: "Search by name or email address", value: filters.q, type: "search", width: "govuk-!-width-full", spellcheck: false, error: errors[0]?.text })}
    </div>
  </div>
  <div class="govuk-grid-row">
    <div class="govuk-grid-column-one-third">
      ${select({ name: "status", label: "Status", value: filters.status, items: [
        { value: "", text: "All" },
        { value: "active", text: "Active" },
        { value: "inactive", text: "Inactive" },
      ] })}
    </div>
    <div class="govuk-grid-column-one-third">
      ${select({ name: "type", label: "Type of account", value: filters.type, items: [
        { value: "", text: "All" },
        { value: "support", text: "Support users" },
        { value: "api", text: "API users" },
      ] })}
    </div>
    <div class="govuk-grid-column-one-third">
      ${select({ name: "role", label: "Role", value: filters.role, items: [{ value: "", text: "All" }, ...ROLES] })}
    </div>
  </div>
  <div class="govuk-button-group">
    ${button("Search", { secondary: true })}
    ${filtered ? html`<a class="govuk-link" href="${paths.users}">Clear search and filters</a>` : ""}
  </div>
</form>
${results}`,
    mount(main) {
      const form = main.querySelector<HTMLFormElement>("form[data-form=search]");
      form?.addEventListener("submit", (event) => {
        event.preventDefault();
        const entries = new FormData(form);
        const next = filtersFrom(new URLSearchParams([...entries].map(([k, v]) => [k, String(v)])));
        navigate(usersUrl(next));
      });
    },
  };
}
