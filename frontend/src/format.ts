/** How dates, names and answers read on the page (GOV.UK style). */

const LONDON = "Europe/London";

const dateParts = new Intl.DateTimeFormat("en-GB", {
  timeZone: LONDON,
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "numeric",
  minute: "2-digit",
  hourCycle: "h23",
});

/**
 * `11 December 2025 at 2:13pm`, in UK time whatever the browser's zone.
 * GOV.UK style writes 12:00 as midday and 00:00 as midnight.
 */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = Object.fromEntries(dateParts.formatToParts(date).map((p) => [p.type, p.value]));
  const hour = Number(parts.hour);
  const minute = parts.minute ?? "00";
  let time: string;
  if (minute === "00" && hour === 12) time = "midday";
  else if (minute === "00" && hour === 0) time = "midnight";
  else time = `${hour % 12 === 0 ? 12 : hour % 12}:${minute}${hour < 12 ? "am" : "pm"}`;
  return `${parts.day} ${parts.month} ${parts.year} at ${time}`;
}

const dayParts = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", day: "numeric", month: "long", year: "numeric" });

/** A calendar date from the API (`2026-06-11`) as GOV.UK writes it: `11 June 2026`. */
export function formatDate(isoDate: string): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? isoDate : dayParts.format(date);
}

/** The sentence about a user's last sign-in. */
export function lastSignedIn(iso: string | null | undefined): string {
  return iso ? `Last signed in on ${formatDateTime(iso)}` : "User has never signed in";
}

export function fullName(user: { first_name: string; last_name: string }): string {
  return `${user.first_name} ${user.last_name}`;
}

export function yesNo(value: boolean): string {
  return value ? "Yes" : "No";
}

/** A count with its thousands separated: `1,234`. */
export function formatNumber(count: number): string {
  return count.toLocaleString("en-GB");
}

/** `1 user`, `66 users`. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatNumber(count)} ${count === 1 ? one : many}`;
}
