import assert from "node:assert/strict";
import { test } from "node:test";
import type { User } from "../../src/api/client";
import { errorSummary } from "../../src/components/govuk";
import { messageFor, problemErrors, summaryItems } from "../../src/forms/errors";
import { changeFields, changesBody, createBody, displayValue, readAnswers, userFields } from "../../src/forms/user-form";
import { ROLES, rolesToOffer } from "../../src/roles";

const validation = {
  detail: "The request has 2 errors",
  errors: [
    { field: "first_name", message: "Enter first name" },
    { field: "email", message: "Email address already in use" },
  ],
};

test("the error summary lists the API's messages in its order, linking to each field", () => {
  const items = summaryItems(validation.errors, ["first_name", "last_name", "email", "api_user"]);
  assert.deepEqual(items, [
    { text: "Enter first name", href: "#first_name" },
    { text: "Email address already in use", href: "#email" },
  ]);
  const markup = errorSummary(items).value;
  assert.match(markup, /<div class="govuk-error-summary" data-module="govuk-error-summary">/);
  assert.match(markup, /<h2 class="govuk-error-summary__title">There is a problem<\/h2>/);
  assert.match(markup, /<li><a href="#first_name">Enter first name<\/a><\/li>/);
});

test("an error for a field that is not on the page is listed without a link", () => {
  assert.deepEqual(summaryItems([{ field: "active", message: "Select if the account is active" }], ["first_name"]), [
    { text: "Select if the account is active", href: undefined },
  ]);
});

test("a guard's problem becomes one error: its detail", () => {
  assert.deepEqual(problemErrors({ detail: "You cannot delete your own account", errors: null }), [
    { field: "", message: "You cannot delete your own account" },
  ]);
  assert.deepEqual(problemErrors(validation), validation.errors);
});

test("inline errors sit by their fields, with the answers kept", () => {
  const markup = userFields(["first_name", "last_name", "email", "api_user"], { last_name: "Lovelace", api_user: "no" }, validation.errors).value;
  assert.match(markup, /<p id="first_name-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:<\/span> Enter first name<\/p>/);
  assert.match(markup, /class="govuk-input govuk-input--width-20 govuk-input--error" id="first_name" name="first_name" type="text" value="" aria-describedby="first_name-error"/);
  assert.match(markup, /id="last_name" name="last_name" type="text" value="Lovelace"/);
  assert.match(markup, /id="api_user-2" name="api_user" type="radio" value="no" checked/);
  assert.equal(messageFor(validation.errors, "email"), "Email address already in use");
});

test("answers are read from the form; an unanswered question is left out of the body", () => {
  const answers = readAnswers([["first_name", " Ada "], ["email", "ADA@education.gov.uk"], ["api_user", "maybe"]]);
  assert.deepEqual(answers, { first_name: " Ada ", email: "ADA@education.gov.uk" });
  assert.deepEqual(createBody(answers), { first_name: " Ada ", last_name: "", email: "ADA@education.gov.uk" });
});

const user: User = {
  id: "0193b0c2-7a1e-7c4e-9f3a-1c2d3e4f5a6b",
  first_name: "Ada",
  last_name: "Lovelace",
  email: "ada.lovelace@education.gov.uk",
  api_user: false,
  support_role: "editor",
  active: true,
  last_signed_in_at: "2025-12-11T14:13:00Z",
  editable_fields: ["api_user", "support_role", "active"],
  can_delete: true,
  created_at: "2025-12-11T14:13:00Z",
  updated_at: "2025-12-11T14:13:00Z",
  version: 3,
};

test("a change sends only editable fields whose answers differ", () => {
  assert.deepEqual(changesBody(user, { first_name: "Grace", api_user: "no", active: "no" }), { active: false });
  assert.deepEqual(changesBody({ ...user, editable_fields: ["first_name", "email", "active"] }, { first_name: "Ada", email: "new@education.gov.uk", active: "yes" }), {
    email: "new@education.gov.uk",
  });
});

test("the role question is inside the API user question, revealed by No, with each role's hint", () => {
  const markup = userFields(["api_user", "support_role"], { api_user: "no", support_role: "editor" }, [], ROLES).value;
  assert.match(markup, /id="api_user-2" name="api_user" type="radio" value="no" checked data-reveals="conditional-api_user-2"/);
  assert.doesNotMatch(markup, /govuk-radios--inline/, "conditional reveals need stacked radios");
  const reveal = markup.slice(markup.indexOf('<div class="govuk-radios__conditional" id="conditional-api_user-2">'));
  assert.ok(reveal.length < markup.length, "shown, as No is the answer");
  assert.match(reveal, /<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">What is the user&#39;s role\?<\/legend>/);
  assert.match(reveal, /id="support_role" name="support_role" type="radio" value="viewer" aria-describedby="support_role-item-hint"/);
  assert.match(reveal, /<div id="support_role-item-hint" class="govuk-hint govuk-radios__hint">Can view users, API clients and activity<\/div>/);
  assert.match(reveal, /id="support_role-2" name="support_role" type="radio" value="editor" checked aria-describedby="support_role-2-item-hint"/);
  assert.match(reveal, /Can also add, change and delete users and API clients/);
  assert.match(reveal, /<label class="govuk-label govuk-radios__label" for="support_role-3">Administrator<\/label>/);
  assert.match(reveal, /Can also add, change and delete administrators/);

  const unanswered = userFields(["api_user", "support_role"], {}, [{ field: "support_role", message: "Select the user's role" }], ROLES).value;
  assert.match(unanswered, /class="govuk-radios__conditional govuk-radios__conditional--hidden" id="conditional-api_user-2"/);
  assert.match(unanswered, /<p id="support_role-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:<\/span> Select the user&#39;s role<\/p>/);
  assert.match(userFields(["api_user", "active"], {}, []).value, /govuk-radios--inline/, "without the role question, Yes and No stay inline");
});

test("an editor is not offered Administrator; a viewer is offered nothing", () => {
  const markup = userFields(["api_user", "support_role"], { api_user: "no" }, [], rolesToOffer({ api_user: false, support_role: "editor" })).value;
  assert.match(markup, /value="editor"/);
  assert.doesNotMatch(markup, /administrator|Administrator/);
  assert.deepEqual(rolesToOffer({ api_user: false, support_role: "administrator" }).map((r) => r.text), ["Viewer", "Editor", "Administrator"]);
  assert.deepEqual(rolesToOffer({ api_user: false, support_role: "viewer" }), []);
});

test("a support user's role goes with a new user: null when unanswered, so the API asks for it; never for an API user", () => {
  const answers = readAnswers([["first_name", "Ada"], ["api_user", "no"], ["support_role", "owner"]]);
  assert.equal(answers.support_role, undefined, "only a role the API knows is read");
  assert.equal(createBody(answers).support_role, null);
  assert.equal(createBody({ ...answers, support_role: "administrator" }).support_role, "administrator");
  assert.equal("support_role" in createBody({ api_user: "yes", support_role: "editor" }), false, "a role chosen before answering Yes is left out");
  assert.equal("support_role" in createBody({}), false);
});

test("a change sends the role when it changes, none for a new API user, and always for a new support user", () => {
  assert.deepEqual(changesBody(user, { api_user: "no", support_role: "viewer", active: "yes" }), { support_role: "viewer" });
  assert.deepEqual(changesBody(user, { api_user: "no", support_role: "editor", active: "yes" }), {});
  assert.deepEqual(changesBody(user, { api_user: "yes", support_role: "viewer", active: "yes" }), { api_user: true });
  const apiUser: User = { ...user, api_user: true, support_role: null, editable_fields: ["api_user", "active"] };
  assert.deepEqual(changeFields(apiUser), ["api_user", "support_role", "active"], "becoming a support user needs a role");
  assert.deepEqual(changesBody(apiUser, { api_user: "no", active: "yes" }), { api_user: false, support_role: null });
  assert.deepEqual(changesBody(apiUser, { api_user: "no", support_role: "editor", active: "yes" }), { api_user: false, support_role: "editor" });
  assert.deepEqual(changesBody(apiUser, { api_user: "yes", support_role: "editor", active: "no" }), { active: false });
  assert.deepEqual(changeFields({ ...user, editable_fields: [] }), [], "a viewer changes nothing");
});

test("a role reads by its name, and an API user's as API user", () => {
  assert.equal(displayValue("support_role", user), "Editor");
  assert.equal(displayValue("support_role", { ...user, api_user: true, support_role: null }), "API user");
});
