import assert from "node:assert/strict";
import { test } from "node:test";
import { ACTION_TITLES, ACTIONS, byline, changeLines, deletedUserText, entryTitle, nameFromHistory } from "../../src/activity-text";
import type { ActivityEntry } from "../../src/api/client";
import { timeline } from "../../src/components/timeline";

// The runner sets TZ to New York, so the times below pass only if London time is used.

const ADA = { id: "0193b0c2-7a1e-7c4e-9f3a-1c2d3e4f5a6c", name: "Ada Lovelace" };
const GRACE_ID = "0193b0c2-7a1e-7c4e-9f3a-1c2d3e4f5a6d";

function entry(fields: Partial<ActivityEntry> & Pick<ActivityEntry, "action">): ActivityEntry {
  return {
    id: "0193b0c2-7a1e-7c4e-9f3a-1c2d3e4f5a6b",
    occurred_at: "2025-12-11T14:13:00Z",
    actor: ADA,
    user_id: GRACE_ID,
    changes: null,
    details: null,
    request_id: "0193b0c2-7a1e-7c4e-9f3a-1c2d3e4f5a6e",
    ...fields,
  };
}

/** `changes` and `details` are typed as `Record<string, never>` by openapi-typescript. */
const json = (value: object): Record<string, never> => value as Record<string, never>;

test("each action has its title", () => {
  const titles = Object.fromEntries(ACTIONS.map((action) => [action, entryTitle({ action, details: null })]));
  assert.deepEqual(titles, {
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
  });
  assert.deepEqual(Object.keys(ACTION_TITLES), [...ACTIONS], "the filter lists every action, in this order");
});

test("an email's entry is titled by the kind of email and whether it went", () => {
  const email = (action: string, kind: string) => entryTitle({ action, details: json({ email_kind: kind, email_id: "x" }) });
  assert.equal(email("email.sent", "invitation"), "Invitation email sent");
  assert.equal(email("email.sent", "removal"), "Removal email sent");
  assert.equal(email("email.failed", "invitation"), "Invitation email could not be sent");
  assert.equal(email("email.failed", "removal"), "Removal email could not be sent");
  assert.equal(email("email.sent", "api_client_expiring"), "API client expiry reminder sent");
  assert.equal(email("email.failed", "api_client_revoked"), "API client revocation notice could not be sent");
});

test("an action the page does not know yet is shown as the API names it", () => {
  assert.equal(entryTitle({ action: "provider.imported", details: null }), "provider.imported");
});

test("the byline says who and when, in UK time", () => {
  assert.equal(byline(entry({ action: "user.updated" })), "By Ada Lovelace on 11 December 2025 at 2:13pm");
  assert.equal(byline(entry({ action: "user.signed_in", occurred_at: "2025-07-01T08:05:00.123456Z" })), "By Ada Lovelace on 1 July 2025 at 9:05am");
});

test("the service's own entries (email delivery) have no author", () => {
  assert.equal(byline(entry({ action: "email.sent", actor: null })), "On 11 December 2025 at 2:13pm");
});

test("a change lists each changed field, old → new, with the details page's labels", () => {
  const changes = json({
    email: ["grace@education.gov.uk", "grace.hopper@education.gov.uk"],
    active: [true, false],
    api_user: [false, true],
  });
  assert.deepEqual(changeLines({ changes }), [
    "Email address: grace@education.gov.uk → grace.hopper@education.gov.uk",
    "Is the account an API user?: No → Yes",
    "Is the account active?: Yes → No",
  ]);
  assert.deepEqual(changeLines({ changes: json({ first_name: ["Grace", "Amazing Grace"], last_name: ["Hopper", "Hopper-Murray"] }) }), [
    "First name: Grace → Amazing Grace",
    "Last name: Hopper → Hopper-Murray",
  ]);
});

test("a new user lists each field's value only, in the details page's order", () => {
  const changes = json({
    active: [null, true],
    api_user: [null, false],
    email: [null, "ada@education.gov.uk"],
    first_name: [null, "Ada"],
    last_name: [null, "Lovelace"],
    support_role: [null, "administrator"],
  });
  assert.deepEqual(changeLines({ changes }), [
    "First name: Ada",
    "Last name: Lovelace",
    "Email address: ada@education.gov.uk",
    "Is the account an API user?: No",
    "Role: Administrator",
    "Is the account active?: Yes",
  ]);
});

test("a role reads by its name, and an API user's lack of one as API user", () => {
  assert.deepEqual(changeLines({ changes: json({ support_role: ["viewer", "editor"] }) }), ["Role: Viewer → Editor"]);
  assert.deepEqual(changeLines({ changes: json({ support_role: ["editor", null], api_user: [false, true] }) }), [
    "Is the account an API user?: No → Yes",
    "Role: Editor → API user",
  ]);
  assert.deepEqual(changeLines({ changes: json({ support_role: [null, null] }) }), ["Role: API user"]);
});

test("an entry without changes lists none; fields the page does not know are still shown", () => {
  assert.deepEqual(changeLines({ changes: null }), []);
  assert.deepEqual(changeLines({ changes: json({ name: ["Nightly import", "Hourly import"], expires_on: ["2026-01-01", null], scope_kind: [null, "read"] }) }), [
    "Name: Nightly import → Hourly import",
    "Expiry date: 2026-01-01 → Not set",
    "Scope kind: read",
  ]);
});

test("a deleted user is named from their history when it says", () => {
  const signedIn = entry({ action: "user.signed_in", actor: { id: GRACE_ID, name: "Grace Hopper" } });
  const renamed = entry({ action: "user.updated", changes: json({ last_name: ["Hopper", "Hopper-Murray"] }) });
  const created = entry({ action: "user.created", changes: json({ first_name: [null, "Grace"], last_name: [null, "Hopper"], email: [null, "g@education.gov.uk"] }) });
  const removal = entry({ action: "email.sent", actor: null });
  assert.equal(nameFromHistory(GRACE_ID, [removal, signedIn, created]), "Grace Hopper");
  assert.equal(nameFromHistory(GRACE_ID, [removal, renamed, created]), "Grace Hopper-Murray", "the latest names");
  assert.equal(nameFromHistory(GRACE_ID, [removal, entry({ action: "user.deleted" })]), null);
  assert.equal(deletedUserText("Grace Hopper"), "Grace Hopper (deleted)");
  assert.equal(deletedUserText(null), "Deleted user");
});

test("the timeline is an ordered list of entries: heading, byline with its time, and changes, all escaped", () => {
  const markup = timeline(
    [
      entry({ action: "user.updated", changes: json({ first_name: ["<b>Ada</b>", "Ada"] }) }),
      entry({ action: "email.sent", actor: null, details: json({ email_kind: "invitation" }) }),
    ],
    { headingLevel: 3 },
    null,
  ).value;
  assert.match(markup, /^<ol class="app-timeline" data-timeline>/);
  assert.match(markup, /<h3 class="govuk-heading-s app-timeline__title">User details updated<\/h3>/);
  assert.match(markup, /<p class="govuk-body-s app-timeline__byline">By Ada Lovelace on <time datetime="2025-12-11T14:13:00Z">11 December 2025 at 2:13pm<\/time><\/p>/);
  assert.match(markup, /<ul class="govuk-list app-timeline__changes"><li>First name: &lt;b&gt;Ada&lt;\/b&gt; → Ada<\/li><\/ul>/);
  assert.match(markup, /<h3 class="govuk-heading-s app-timeline__title">Invitation email sent<\/h3>\s*<p class="govuk-body-s app-timeline__byline">On <time/);
  assert.doesNotMatch(markup, /Show older activity/);
});

test("the timeline offers older activity when there is more, with headings of the level asked for", () => {
  const markup = timeline([entry({ action: "user.deleted" })], { headingLevel: 2 }, "cursor").value;
  assert.match(markup, /<h2 class="govuk-heading-s app-timeline__title">User deleted<\/h2>/);
  assert.match(markup, /<button type="button" class="govuk-button govuk-button--secondary" data-module="govuk-button" data-show-older>Show older activity<\/button>/);
});
