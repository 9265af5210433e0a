/**
 * The Activity page's address (its filters) and the API query it makes.
 *
 * Dates are typed as `YYYY-MM-DD`, the API's own date format, so that when
 * the API refuses one its message describes what the person typed. A date
 * is a day in the UK, as every time on the page is: "From date" asks from
 * the start of that day in London, and "To date" includes the whole of its
 * day (the API's `until` is exclusive, so it gets the start of the next).
 * Anything that is not such a date goes to the API as typed, for the API to
 * accept (an RFC 3339 time) or name in its 422.
 */
import type { operations } from "./api/schema";
import { isAction, type Action } from "./activity-text";
import { paths } from "./paths";

export interface ActivityFilters {
  action: Action | "";
  /** As typed. */
  from: string;
  /** As typed. */
  to: string;
}

/** The filters in an Activity address; an action this page does not know is ignored. */
export function activityFiltersFrom(query: URLSearchParams): ActivityFilters {
  const action = query.get("action");
  return {
    action: isAction(action) ? action : "",
    from: (query.get("from") ?? "").trim(),
    to: (query.get("to") ?? "").trim(),
  };
}

export function isFiltered(filters: ActivityFilters): boolean {
  return Boolean(filters.action || filters.from || filters.to);
}

/** The Activity address for these filters (empty ones left out). */
export function activityUrl(filters: ActivityFilters): string {
  const query = new URLSearchParams();
  if (filters.action) query.set("action", filters.action);
  if (filters.from) query.set("from", filters.from);
  if (filters.to) query.set("to", filters.to);
  const search = query.toString();
  return search ? `${paths.activity}?${search}` : paths.activity;
}

/** Which form field shows the API's error for each of its parameters. */
export const FORM_FIELD_FOR: Readonly<Record<string, string>> = { action: "action", since: "from", until: "to" };

const londonOffset = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", timeZoneName: "longOffset" });

/**
 * The start of the London day `date` (`YYYY-MM-DD`), `days` later, as an
 * RFC 3339 time: `2025-07-01T00:00:00+01:00`, `2025-12-11T00:00:00Z`.
 * `null` when `date` is not a real date in that form.
 */
export function startOfLondonDay(date: string, days = 0): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])];
  const utc = new Date(Date.UTC(year, month, day));
  if (utc.getUTCFullYear() !== year || utc.getUTCMonth() !== month || utc.getUTCDate() !== day) return null;
  utc.setUTCDate(utc.getUTCDate() + days);
  // The clocks change at 01:00 UTC, so London's offset at midnight UTC is its offset at its own midnight.
  const zone = londonOffset.formatToParts(utc).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const offset = /^GMT([+-]\d{2}:\d{2})$/.exec(zone)?.[1];
  return `${utc.toISOString().slice(0, 10)}T00:00:00${!offset || offset === "+00:00" ? "Z" : offset}`;
}

/** The `list_activity` query for these filters. */
type ActivityQuery = Pick<NonNullable<operations["list_activity"]["parameters"]["query"]>, "action" | "since" | "until">;

export function activityQuery(filters: ActivityFilters): ActivityQuery {
  const query: ActivityQuery = {};
  // An action typed into the address that the API does not know comes back
  // as its 422, shown on the page like any other error.
  if (filters.action) query.action = filters.action as ActivityQuery["action"];
  if (filters.from) query.since = startOfLondonDay(filters.from) ?? filters.from;
  if (filters.to) query.until = startOfLondonDay(filters.to, 1) ?? filters.to;
  return query;
}
