/**
 * Every sentence the activity log shows a person: what happened, who did it
 * and when, what changed, and what the Activity pages say around it. Tests
 * assert them verbatim (tests/unit/activity-text.test.ts).
 */
import type { ActivityEntry } from "./api/client";
import { formatDateTime, yesNo } from "./format";
import { FIELD_LABELS } from "./forms/user-form";
import { roleName } from "./roles";

/** The actions the API records (contract §6), in the order the Action filter lists them. */
export const ACTIONS = [
  "user.created",
  "user.updated",
  "user.deleted",
  "user.signed_in",
  "email.sent",
  "email.failed",
  "api_client.created",
  "api_client.updated",
  "api_client.revoked",
  "api_client.rotated",
  "api_client.deleted",
] as const;

export type Action = (typeof ACTIONS)[number];

export function isAction(value: string | null | undefined): value is Action {
  return (ACTIONS as readonly string[]).includes(value ?? "");
}

/**
 * Each action's title. An email's entry is titled by its kind instead
 * (`Invitation email sent`); these two names are for the Action filter,
 * which cannot tell the kinds apart.
 */
export const ACTION_TITLES: Record<Action, string> = {
  "user.created": "User added",
  "user.updated": "User details updated",
  "user.deleted": "User deleted",
  "user.signed_in": "Signed in",
  "email.sent": "Email sent",
  "email.failed": "Email could not be sent",
  "api_client.created": "API client added",
  "api_client.updated": "API client updated",
  "api_client.revoked": "API client revoked",
  "api_client.rotated": "API client token rotated",
  "api_client.deleted": "API client deleted",
};

const EMAIL_TITLES: Record<string, { sent: string; failed: string }> = {
  invitation: { sent: "Invitation email sent", failed: "Invitation email could not be sent" },
  removal: { sent: "Removal email sent", failed: "Removal email could not be sent" },
  api_client_expiring: {
    sent: "API client expiry reminder sent",
    failed: "API client expiry reminder could not be sent",
  },
  api_client_revoked: {
    sent: "API client revocation notice sent",
    failed: "API client revocation notice could not be sent",
  },
};

/**
 * `changes` and `details` are free-form objects in the OpenAPI document, which
 * openapi-typescript types as `Record<string, never>`: read them as unknown.
 */
function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** What happened, as the entry's heading says it. An action this page does not know yet is shown as the API names it. */
export function entryTitle(entry: Pick<ActivityEntry, "action" | "details">): string {
  if (entry.action === "email.sent" || entry.action === "email.failed") {
    const kind = EMAIL_TITLES[String(record(entry.details).email_kind)];
    if (kind) return entry.action === "email.sent" ? kind.sent : kind.failed;
  }
  return isAction(entry.action) ? ACTION_TITLES[entry.action] : entry.action;
}

/** The byline before its date: `By Ada Lovelace on `, or `On ` for the service's own entries (email delivery). */
export function bylinePrefix(entry: Pick<ActivityEntry, "actor">): string {
  return entry.actor ? `By ${entry.actor.name} on ` : "On ";
}

/** `By Ada Lovelace on 11 December 2025 at 2:13pm` (UK time), or `On 11 December 2025 at 2:13pm`. */
export function byline(entry: Pick<ActivityEntry, "actor" | "occurred_at">): string {
  return bylinePrefix(entry) + formatDateTime(entry.occurred_at);
}

/** How each changed field is named: the user form's labels, and an API client's (contract §5). */
export const CHANGE_LABELS: Record<string, string> = {
  ...FIELD_LABELS,
  name: "Name",
  expires_on: "Expiry date",
};

/** The fields in the order the user's details list them; any others after, as the API sent them. */
const FIELD_ORDER = Object.keys(CHANGE_LABELS);

function label(field: string): string {
  const known = CHANGE_LABELS[field];
  if (known) return known;
  const words = field.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A recorded value as the details page would show it: a role by its name (none: `API user`). */
function shown(field: string, value: unknown): string {
  if (field === "support_role" && (typeof value === "string" || value === null)) return roleName(value);
  if (typeof value === "boolean") return yesNo(value);
  if (value === null || value === undefined) return "Not set";
  if (typeof value === "string" || typeof value === "number") return String(value);
  return JSON.stringify(value);
}

/**
 * One line a changed field: `Email address: grace@education.gov.uk →
 * grace.hopper@education.gov.uk`, or only the new value when there was none
 * before (a new user: `Email address: ada@education.gov.uk`).
 */
export function changeLines(entry: Pick<ActivityEntry, "changes">): string[] {
  const changes = record(entry.changes);
  const rank = (field: string): number => {
    const i = FIELD_ORDER.indexOf(field);
    return i === -1 ? FIELD_ORDER.length : i;
  };
  return Object.keys(changes)
    .sort((a, b) => rank(a) - rank(b))
    .map((field) => {
      const change = changes[field];
      const [before, after] = Array.isArray(change) && change.length === 2 ? change : [null, change];
      return before === null ? `${label(field)}: ${shown(field, after)}` : `${label(field)}: ${shown(field, before)} → ${shown(field, after)}`;
    });
}

/** Before the user an entry is about, on the Activity page. */
export const SUBJECT_PREFIX = "User: ";

/** A user who has been deleted, named if their history still tells us how. */
export function deletedUserText(name: string | null): string {
  return name ? `${name} (deleted)` : "Deleted user";
}

/**
 * A deleted user's name, from their own history (newest first): the name
 * they signed in with, or the latest first and last names recorded for them.
 * The API no longer answers for a deleted user, so this is the only place
 * their name is left. `null` when the entries do not say.
 */
export function nameFromHistory(userId: string, entries: readonly Pick<ActivityEntry, "actor" | "changes">[]): string | null {
  let first: string | undefined;
  let last: string | undefined;
  for (const entry of entries) {
    const changes = record(entry.changes);
    const newValue = (field: string): string | undefined => {
      const change = changes[field];
      return Array.isArray(change) && typeof change[1] === "string" ? change[1] : undefined;
    };
    first ??= newValue("first_name");
    last ??= newValue("last_name");
    if (first !== undefined && last !== undefined) return `${first} ${last}`;
    if (first === undefined && last === undefined && entry.actor?.id === userId) return entry.actor.name;
  }
  return null;
}

/** The Activity section and page. */
export const ACTIVITY_TEXT = {
  heading: "Activity",
  showOlder: "Show older activity",
  noUserActivity: "No activity has been recorded for this user.",
  noActivity: "No activity has been recorded.",
  noMatchingActivity: "No activity matches these filters.",
  actionLabel: "Action",
  allActions: "All actions",
  fromLabel: "From date",
  toLabel: "To date",
  dateHint: "For example, 2025-03-27",
  applyFilters: "Apply filters",
  clearFilters: "Clear filters",
} as const;
