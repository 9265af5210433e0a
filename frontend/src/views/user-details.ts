/**
 * View user: the details, ‘Change’ links for what the signed-in user may
 * change now, ‘Delete user’ when they may delete the user, and the user's
 * activity as a timeline.
 */
import { ACTIVITY_TEXT } from "../activity-text";
import { api, unexpected, type ActivityPage, type User } from "../api/client";
import { heading, summaryList, twoThirds, type SummaryRow } from "../components/govuk";
import { timeline, timelineItems, type TimelineOptions } from "../components/timeline";
import { FIELD_CHANGE_TEXT, FIELD_LABELS, FIELD_ORDER, displayValue, editLockNotice } from "../forms/user-form";
import { takeFlash } from "../flash";
import { fullName, lastSignedIn } from "../format";
import { html } from "../html";
import type { Page } from "../page";
import { paths } from "../paths";
import type { Visit } from "../router";
import { ACTIVITY_PER_PAGE, mountShowOlder } from "./activity";
import { usersListUrl } from "./users";

export async function loadUser(id: string): Promise<User> {
  const { data, error, response } = await api.GET("/api/v1/users/{id}", { params: { path: { id } } });
  if (!data) throw unexpected(response, error);
  return data;
}

/** A page of the user's activity, newest first (after `cursor`). */
async function loadUserActivity(id: string, cursor?: string): Promise<ActivityPage> {
  const { data, error, response } = await api.GET("/api/v1/users/{id}/activity", {
    params: { path: { id }, query: { per_page: ACTIVITY_PER_PAGE, ...(cursor ? { cursor } : {}) } },
  });
  if (!data) throw unexpected(response, error);
  return data;
}

const TIMELINE: TimelineOptions = { headingLevel: 3 };

/** The summary rows for a user; with `changeLinks`, a ‘Change’ link on each editable field. */
export function userRows(user: User, changeLinks: boolean): SummaryRow[] {
  return FIELD_ORDER.map((name) => ({
    key: FIELD_LABELS[name],
    value: displayValue(name, user),
    change: changeLinks && user.editable_fields.includes(name) ? { href: paths.changeUser(user.id), hidden: FIELD_CHANGE_TEXT[name] } : undefined,
  }));
}

export async function userDetailsView(visit: Visit): Promise<Page> {
  const id = visit.params.id ?? "";
  const [user, activity] = await Promise.all([loadUser(id), loadUserActivity(id)]);
  return {
    title: "View user",
    nav: "users",
    backLink: usersListUrl(),
    content: html`${takeFlash(paths.user(id))}
${twoThirds(html`${heading(fullName(user), "User")}
  <p class="govuk-body" data-testid="last-signed-in">${lastSignedIn(user.last_signed_in_at)}</p>
  ${summaryList(userRows(user, true))}
  ${editLockNotice(user)}
  ${user.can_delete ? html`<p class="govuk-body"><a class="govuk-link" href="${paths.deleteUser(user.id)}">Delete user</a></p>` : ""}
  <h2 class="govuk-heading-m govuk-!-margin-top-8">${ACTIVITY_TEXT.heading}</h2>
  ${activity.items.length
    ? timeline(activity.items, TIMELINE, activity.next_cursor)
    : html`<p class="govuk-body">${ACTIVITY_TEXT.noUserActivity}</p>`}`)}`,
    mount(main) {
      mountShowOlder(main, activity.next_cursor, async (cursor) => {
        const older = await loadUserActivity(user.id, cursor);
        return { items: timelineItems(older.items, TIMELINE), nextCursor: older.next_cursor };
      });
    },
  };
}
