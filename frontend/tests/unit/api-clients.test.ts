import assert from "node:assert/strict";
import { test } from "node:test";
import { formatDate } from "../../src/format";
import { holdToken, takeToken } from "../../src/one-time-token";
import type { ApiClientScope } from "../../src/api/client";
import { allowedIpsOf, answersOfClient, changeClientBody, clientFields, createClientBody, readClientAnswers, userWithEmail } from "../../src/forms/api-client-form";
import { SCOPES, scopesToOffer } from "../../src/scopes";

test("an expiry date left blank is left out, so the API picks its default", () => {
  assert.deepEqual(createClientBody({ name: "Payroll", day: " ", month: "", year: "" }), { name: "Payroll" });
});

test("an expiry date is sent as YYYY-MM-DD, with one-digit days and months padded", () => {
  assert.deepEqual(createClientBody({ name: "Payroll", day: "7", month: "3", year: "2026" }), { name: "Payroll", expires_on: "2026-03-07" });
});

test("a partial or odd date is sent as it is, for the API to refuse with its own message", () => {
  assert.equal(createClientBody({ name: "", day: "", month: "3", year: "2026" }).expires_on, "2026-03-");
  assert.equal(createClientBody({ name: "", day: "x", month: "3", year: "26" }).expires_on, "26-03-x");
});

test("calendar dates read as GOV.UK writes them, whatever the browser's zone", () => {
  assert.equal(formatDate("2026-06-11"), "11 June 2026");
  assert.equal(formatDate("2026-01-01"), "1 January 2026");
  assert.equal(formatDate("not a date"), "not a date");
});

test("an issued token is shown once, and only for its own client", () => {
  holdToken("client-1", "dfe_rtp_secret");
  assert.equal(takeToken("client-2"), null);
  assert.equal(takeToken("client-1"), "dfe_rtp_secret");
  assert.equal(takeToken("client-1"), null);
});

test("the allowed IP addresses are a line each, trimmed, with blank lines dropped", () => {
  assert.deepEqual(allowedIpsOf(" 192.0.2.10 \r\n\r\n198.51.100.0/24\n  \n2001:db8::/32\r"), ["192.0.2.10", "198.51.100.0/24", "2001:db8::/32"]);
  assert.deepEqual(allowedIpsOf("  \n "), [], "empty means any address");
});

test("the add form's body: owner_id only when given, the scopes ticked and the allowed IP addresses as a list", () => {
  const answers = { name: "Payroll", scopes: ["providers:read", "api_clients:manage"] as ApiClientScope[], allowed_ips: "192.0.2.10\n198.51.100.0/24\n" };
  assert.deepEqual(createClientBody(answers), { name: "Payroll", scopes: ["providers:read", "api_clients:manage"], allowed_ips: ["192.0.2.10", "198.51.100.0/24"] });
  assert.equal(createClientBody(answers, "0190a1b2-0000-7000-8000-000000000001").owner_id, "0190a1b2-0000-7000-8000-000000000001");
  assert.deepEqual(createClientBody({ name: "None ticked", scopes: [] }).scopes, [], "sent, so the API asks for at least one");
});

test("answers are read from the form's entries: the owner's address, the date's parts, the scopes ticked, the addresses", () => {
  const entries = new FormData();
  const sent: [string, string][] = [["owner_id", "k@example.com"], ["name", "Sync"], ["expires_on-day", "1"], ["scopes", "scim"], ["scopes", "nonsense"], ["allowed_ips", "192.0.2.1"]];
  for (const [name, value] of sent) entries.append(name, value);
  const answers = readClientAnswers(entries);
  assert.deepEqual([answers.owner, answers.name, answers.day, answers.month, answers.scopes, answers.allowed_ips], ["k@example.com", "Sync", "1", undefined, ["scim"], "192.0.2.1"]);
  assert.deepEqual(readClientAnswers(new FormData()).scopes, [], "none ticked is an answer");
});

test("the owner is the user with exactly the address typed, ignoring case, not one it is the start of", () => {
  const users = [{ id: "1", email: "katherine.johnson@education.gov.uk.example" }, { id: "2", email: "Katherine.Johnson@education.gov.uk" }];
  assert.equal(userWithEmail(users, " katherine.johnson@education.gov.uk ")?.id, "2");
  assert.equal(userWithEmail(users, "katherine.johnson@education"), undefined);
});

test("the change form's body has only what changed, and keeps a scope the signed-in user is not offered", () => {
  const client = { scopes: ["providers:read", "scim"] as ApiClientScope[], allowed_ips: ["192.0.2.10"] };
  const editor = scopesToOffer({ api_user: false, support_role: "editor" });
  assert.deepEqual(changeClientBody(client, answersOfClient(client), editor), {});
  assert.deepEqual(changeClientBody(client, { scopes: ["providers:read"], allowed_ips: "192.0.2.10\n" }, editor), {}, "an editor cannot take scim away");
  assert.deepEqual(changeClientBody(client, { scopes: ["api_clients:manage"], allowed_ips: "" }, editor), {
    scopes: ["api_clients:manage", "scim"],
    allowed_ips: [],
  });
  assert.deepEqual(changeClientBody(client, { scopes: ["providers:read"], allowed_ips: "192.0.2.10" }, SCOPES), { scopes: ["providers:read"] });
  assert.deepEqual(answersOfClient({ scopes: ["providers:read"], allowed_ips: ["192.0.2.10", "198.51.100.0/24"] }).allowed_ips, "192.0.2.10\n198.51.100.0/24");
});

test("the scopes question is GOV.UK checkboxes, the first one's id the field's so error links land on it", () => {
  const markup = clientFields(["scopes", "allowed_ips"], { scopes: ["providers:read"] }, [{ field: "allowed_ips", message: "Enter 20 IP addresses or ranges or fewer" }], SCOPES).value;
  assert.match(markup, /<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">What can this API client do\?<\/legend>/);
  assert.match(markup, /<input class="govuk-checkboxes__input" id="scopes" name="scopes" type="checkbox" value="providers:read" checked>/);
  assert.match(markup, /<input class="govuk-checkboxes__input" id="scopes-2" name="scopes" type="checkbox" value="api_clients:manage">/);
  assert.match(markup, /<label class="govuk-label govuk-checkboxes__label" for="scopes-3">Provision users \(SCIM\)<\/label>/);
  assert.match(markup, /<label class="govuk-label" for="allowed_ips">Which IP addresses can use this API client\?<\/label>/);
  assert.match(markup, /<textarea class="govuk-textarea govuk-textarea--error" id="allowed_ips" name="allowed_ips" rows="5" aria-describedby="allowed_ips-hint allowed_ips-error" spellcheck="false"><\/textarea>/);
  assert.match(markup, /<p id="allowed_ips-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:<\/span> Enter 20 IP addresses or ranges or fewer<\/p>/);
});
