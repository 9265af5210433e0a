import assert from "node:assert/strict";
import { test } from "node:test";
import type { User } from "../../src/api/client";
import { errorSummary } from "../../src/components/govuk";
import { messageFor, problemErrors, summaryItems } from "../../src/forms/errors";
import { changesBody, createBody, readAnswers, userFields } from "../../src/forms/user-form";

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
  active: true,
  last_signed_in_at: "2025-12-11T14:13:00Z",
  editable_fields: ["api_user", "active"],
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
