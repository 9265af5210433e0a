/**
 * End-to-end flows of the support staff's web interface, in Debian's
 * Chromium against the real API on SQLite. Run: `npm run test:browser`
 * (after `npm run build`); `-- --only <text>` runs the tests whose name has it,
 * `-- --update-screenshots` copies the main screenshots to docs/screenshots.
 */
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { User } from "../../src/api/client";
import { CHANGED_BY_SOMEONE_ELSE } from "../../src/forms/errors";
import { utcToday } from "../../src/components/usage";
import { formatDate, formatDateTime } from "../../src/format";
import { expectAccessible, frontendDir, run, screenshot, screenshotDir, test, type Api } from "./harness";
import {
  ADA, ALAN, CHARLES, DOROTHY, GRACE, KATHERINE,
  activityOf, apiCall, bannerHeading, checkboxesOffered, countOf, createUser, currentNav, errorSummaryItems, expectNoPermission, expectPage, findUser, h1, rolesOffered, signInWithPersona, signedInAt,
  summaryLines, summaryRow, summaryRows, tableRows, tabTo, timelineEntries, title, tokenFor, usersTotal,
} from "./helpers";

/** What the role question offers each role (contract §9), label and hint. */
const VIEWER_OPTION: [string, string] = ["Viewer", "Can view users, API clients and activity"];
const EDITOR_OPTION: [string, string] = ["Editor", "Can also add, change and delete users and API clients"];
const ADMINISTRATOR_OPTION: [string, string] = ["Administrator", "Can also add, change and delete administrators"];
const NO_PERMISSION = "You do not have permission to make changes";
const ADMINISTRATORS_ONLY = "Only an administrator can add, change or delete an administrator";

test("the sign-in page offers the development personas, and no DfE Sign-in while OIDC is off", async ({ context }) => {
  const page = await (await context()).newPage();
  await page.goto("/sign-in");
  await expectPage(page, "Sign in");
  assert.equal(await h1(page), "Sign in");
  assert.equal(await page.getByText("Sign in with DfE Sign-in").count(), 0);
  for (const name of ["Ada Lovelace", "Grace Hopper", "Dorothy Vaughan", "Alan Turing", "Katherine Johnson", "Charles Babbage"]) {
    assert.equal(await page.getByRole("button", { name: `Sign in as ${name}` }).count(), 1, name);
  }
  assert.equal((await page.locator(".govuk-header__logo").count()), 1);
  assert.equal((await page.locator(".govuk-service-navigation__service-name").textContent())?.trim(), "Register of training providers");
  assert.equal(await page.locator(".govuk-skip-link").getAttribute("href"), "#main-content");
  await expectAccessible(page);
  await screenshot(page, "01-sign-in");
});

test("signing in with an email address checks it with the API", async ({ context }) => {
  const page = await (await context()).newPage();
  await page.goto("/sign-in");
  await expectPage(page, "Sign in");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expectPage(page, "Sign in", { errors: true });
  assert.deepEqual(await errorSummaryItems(page), ["Enter email address"]);
  await page.getByLabel("Or sign in with an email address").fill(GRACE.toUpperCase());
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expectPage(page, /Users \(\d+\)/);
});

test("a deep link asks for sign-in, returns there, and survives a reload through the session cookie", async ({ context, api }) => {
  const ada = await findUser(api, await tokenFor(api, GRACE), ADA);
  const page = await (await context()).newPage();
  const refreshes: number[] = [];
  page.on("response", (r) => {
    if (r.url().endsWith("/api/v1/auth/refresh")) refreshes.push(r.status());
  });
  await page.goto(`/users/${ada.id}`);
  await expectPage(page, "Sign in");
  assert.equal(new URL(page.url()).searchParams.get("return_to"), `/users/${ada.id}`);
  await signInWithPersona(page, "Grace Hopper");
  await expectPage(page, "View user");
  assert.equal(new URL(page.url()).pathname, `/users/${ada.id}`);
  assert.equal(await h1(page), "Ada Lovelace");

  // A reload loses the in-memory token; the session cookie brings it back.
  await page.reload();
  await expectPage(page, "View user");
  assert.equal(new URL(page.url()).pathname, `/users/${ada.id}`);
  assert.equal(refreshes.at(-1), 200, `the reload resumed the session: ${refreshes.join(", ")}`);

  const stored = await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length, cookie: document.cookie }));
  assert.deepEqual(stored, { local: 0, session: 0, cookie: "" }, "the token is kept in memory only");
});

test("users are listed 25 a page, with GOV.UK pagination over 60 users, and back and forward work", async ({ context, api }) => {
  const total = await usersTotal(api, await tokenFor(api, GRACE));
  assert.ok(total > 50, `${total} users`);
  const page = await (await context()).newPage();
  await signedInAt(page, "/users");
  await expectPage(page, `Users (${total})`);
  assert.equal(await h1(page), "Users");
  assert.equal(await page.locator("tbody tr").count(), 25);
  assert.equal(await page.locator(".govuk-pagination__item--current").textContent().then((t) => t?.trim()), "1");
  assert.equal(await page.getByRole("button", { name: "Add user" }).count(), 1);
  await expectAccessible(page);
  await screenshot(page, "02-users");
  const firstOnPage1 = await page.locator("tbody tr td a").first().textContent();

  await page.getByRole("link", { name: "Next page" }).click();
  await page.waitForURL("**/users?page=2");
  await expectPage(page, `Users (${total})`);
  assert.equal(await page.locator("tbody tr").count(), 25);
  assert.notEqual(await page.locator("tbody tr td a").first().textContent(), firstOnPage1);

  await page.getByRole("link", { name: "Page 3", exact: true }).click();
  await page.waitForURL("**/users?page=3");
  await expectPage(page, `Users (${total})`);
  assert.equal(await page.locator("tbody tr").count(), total - 50);
  assert.equal(await page.getByRole("link", { name: "Next page" }).count(), 0);
  assert.equal(await page.getByRole("link", { name: "Previous page" }).count(), 1);

  await page.goBack();
  await page.waitForURL("**/users?page=2");
  await expectPage(page, `Users (${total})`);
  await page.goBack();
  await page.waitForURL((url) => url.pathname === "/users" && url.search === "");
  await expectPage(page, `Users (${total})`);
  assert.equal(await page.locator("tbody tr td a").first().textContent(), firstOnPage1);
  await page.goForward();
  await page.waitForURL("**/users?page=2");
  await expectPage(page, `Users (${total})`);
});

test("search and the status, type and role filters narrow the list, which shows each user's role", async ({ context }) => {
  const page = await (await context()).newPage();
  await signedInAt(page, "/users");
  await expectPage(page, /Users \(\d+\)/);
  assert.deepEqual((await page.locator("thead th").allTextContents()).map((t) => t.trim()), ["Name", "Email address", "Role", "Status"]);
  await page.getByLabel("Search by name or email address").fill("grace");
  await page.getByRole("button", { name: "Search" }).click();
  await page.waitForURL("**/users?q=grace");
  await expectPage(page, "Users (1)");
  assert.deepEqual(await page.locator("tbody tr td:first-child").allTextContents(), ["Grace Hopper"]);
  assert.equal((await page.locator("tbody tr td:nth-child(3)").textContent())?.trim(), "Editor");
  await expectAccessible(page);

  await page.getByLabel("Search by name or email address").fill("");
  await page.getByLabel("Role").selectOption("administrator");
  await page.getByRole("button", { name: "Search" }).click();
  await page.waitForURL("**/users?role=administrator");
  await expectPage(page, /Users \(\d+\)/);
  const roles = (await page.locator("tbody tr td:nth-child(3)").allTextContents()).map((t) => t.trim());
  assert.ok(roles.length > 0 && roles.every((r) => r === "Administrator"), roles.join());
  assert.ok((await page.locator("tbody tr td:first-child").allTextContents()).includes("Ada Lovelace"));
  await page.getByLabel("Role").selectOption("");

  await page.getByLabel("Search by name or email address").fill("");
  await page.getByLabel("Status").selectOption("inactive");
  await page.getByRole("button", { name: "Search" }).click();
  await page.waitForURL("**/users?status=inactive");
  await expectPage(page, /Users \(\d+\)/);
  const tags = await page.locator("tbody .govuk-tag").allTextContents();
  assert.ok(tags.length > 0 && tags.every((t) => t.trim() === "Inactive"), tags.join());
  assert.ok((await page.locator("tbody tr td:first-child").allTextContents()).includes("Charles Babbage"));

  await page.getByLabel("Status").selectOption("");
  await page.getByLabel("Type of account").selectOption("api");
  await page.getByLabel("Search by name or email address").fill("kath");
  await page.getByRole("button", { name: "Search" }).click();
  await page.waitForURL("**/users?q=kath&type=api");
  await expectPage(page, "Users (1)");
  assert.deepEqual(await page.locator("tbody tr td:first-child").allTextContents(), ["Katherine Johnson"]);
  assert.equal((await page.locator("tbody tr td:nth-child(3)").textContent())?.trim(), "API user");

  await page.getByLabel("Search by name or email address").fill("nobody-has-this-name");
  await page.getByRole("button", { name: "Search" }).click();
  await expectPage(page, "Users (0)");
  assert.equal(await page.getByText("No users match your search.").count(), 1);
  await page.getByRole("link", { name: "Clear search and filters" }).first().click();
  await page.waitForURL((url) => url.pathname === "/users" && url.search === "");
  await expectPage(page, /Users \(\d+\)/);
});

test("add user: the API's every validation message, answers kept, then check answers and save", async ({ context, api }) => {
  const page = await (await context()).newPage();
  await signedInAt(page, "/users");
  await expectPage(page, /Users \(\d+\)/);
  const before = await usersTotal(api, await tokenFor(api, GRACE));
  await page.getByRole("button", { name: "Add user" }).click();
  await expectPage(page, "Add user");
  await expectAccessible(page);
  await screenshot(page, "03-add-user");

  const continueButton = page.getByRole("button", { name: "Continue" });
  await continueButton.click();
  await expectPage(page, "Add user", { errors: true });
  assert.deepEqual(await errorSummaryItems(page), ["Enter first name", "Enter last name", "Enter email address", "Select if the account is an API user"]);
  assert.deepEqual(await page.locator(".govuk-error-summary__list a").evaluateAll((as) => as.map((a) => a.getAttribute("href"))), [
    "#first_name", "#last_name", "#email", "#api_user",
  ]);
  assert.equal((await page.locator("#email-error").textContent())?.trim(), "Error: Enter email address");
  assert.equal(await page.locator(".govuk-form-group--error").count(), 4);
  await expectAccessible(page);
  await screenshot(page, "04-add-user-errors");
  await page.locator(".govuk-error-summary__list a", { hasText: "Enter email address" }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), "email");
  await page.locator(".govuk-error-summary__list a", { hasText: "Select if the account is an API user" }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), "api_user");

  // The role question appears on answering No; an editor is not offered Administrator.
  const roleQuestion = page.getByRole("group", { name: "What is the user's role?" });
  assert.equal(await roleQuestion.isVisible(), false);
  await page.getByLabel("First name").fill("Margaret");
  await page.getByLabel("Last name").fill("H".repeat(256));
  await page.getByLabel("Email address").fill("margaret@example.com");
  await page.getByRole("group", { name: "Is the account an API user?" }).getByLabel("No").check();
  assert.equal(await roleQuestion.isVisible(), true);
  assert.deepEqual(await rolesOffered(page), [VIEWER_OPTION, EDITOR_OPTION]);
  await expectAccessible(page);
  await continueButton.click();
  await expectPage(page, "Add user", { errors: true });
  assert.deepEqual(await errorSummaryItems(page), [
    "Last name must be 255 characters or less",
    "Enter a Department for Education email address in the correct format, like name@education.gov.uk",
    "Select the user's role",
  ]);
  assert.equal((await page.locator("#support_role-error").textContent())?.trim(), "Error: Select the user's role");
  assert.equal(await page.getByLabel("First name").inputValue(), "Margaret");
  assert.equal(await page.getByRole("group", { name: "Is the account an API user?" }).getByLabel("No").isChecked(), true);
  await page.locator(".govuk-error-summary__list a", { hasText: "Select the user's role" }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), "support_role", "the link lands on the first role");
  await expectAccessible(page);
  await roleQuestion.getByLabel("Editor").check();

  await page.getByLabel("Last name").fill("Hamilton");
  await page.getByLabel("Email address").fill(ADA.toUpperCase());
  await continueButton.click();
  await expectPage(page, "Add user", { errors: true });
  assert.deepEqual(await errorSummaryItems(page), ["Email address already in use"]);

  await page.getByLabel("Email address").fill("  Margaret.Hamilton@Education.gov.uk ");
  await continueButton.click();
  await expectPage(page, "Check your answers");
  assert.deepEqual((await summaryRows(page)).map(([key, value]) => [key, value]), [
    ["First name", "Margaret"],
    ["Last name", "Hamilton"],
    ["Email address", "margaret.hamilton@education.gov.uk"],
    ["Is the account an API user?", "No"],
    ["Role", "Editor"],
  ]);
  await expectAccessible(page);
  await screenshot(page, "05-check-answers");

  await page.getByRole("link", { name: "Change first name" }).click();
  await expectPage(page, "Add user");
  assert.equal(await page.getByLabel("First name").inputValue(), "Margaret");
  await page.getByLabel("First name").fill("Maggie");
  await continueButton.click();
  await expectPage(page, "Check your answers");
  await page.getByRole("button", { name: "Save user" }).click();
  await expectPage(page, `Users (${before + 1})`);
  assert.equal(await bannerHeading(page), "User added");
  assert.equal(await page.getByRole("link", { name: "Maggie Hamilton" }).count(), 1);
  await expectAccessible(page);
  await screenshot(page, "06-user-added");
});

test("keyboard only: a user can be added with Tab, typing, arrow keys and Enter", async ({ context }) => {
  const page = await (await context()).newPage();
  await signedInAt(page, "/users");
  await expectPage(page, /Users \(\d+\)/);
  await tabTo(page, "the Add user button", (el) => el.text === "Add user");
  await page.keyboard.press("Enter");
  await expectPage(page, "Add user");
  await tabTo(page, "First name", (el) => el.id === "first_name");
  await page.keyboard.type("Annie");
  await page.keyboard.press("Tab");
  await page.keyboard.type("Easley");
  await page.keyboard.press("Tab");
  await page.keyboard.type("annie.easley@education.gov.uk");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "api_user");
  await page.keyboard.press("ArrowDown"); // moves to, and selects, ‘No’, which reveals the role question
  assert.equal(await page.evaluate(() => (document.getElementById("api_user-2") as HTMLInputElement).checked), true);
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "support_role");
  await page.keyboard.press("Space"); // selects ‘Viewer’
  assert.equal(await page.evaluate(() => (document.getElementById("support_role") as HTMLInputElement).checked), true);
  await tabTo(page, "Continue", (el) => el.text === "Continue");
  await page.keyboard.press("Enter");
  await expectPage(page, "Check your answers");
  await tabTo(page, "Save user", (el) => el.text === "Save user");
  await page.keyboard.press("Enter");
  await expectPage(page, /Users \(\d+\)/);
  assert.equal(await bannerHeading(page), "User added");
});

test("details of a user who has never signed in: every field has a Change link", async ({ context, api }) => {
  const charles = await findUser(api, await tokenFor(api, GRACE), CHARLES);
  const page = await (await context()).newPage();
  await signedInAt(page, "/users?q=charles");
  await page.getByRole("link", { name: "Charles Babbage" }).click();
  await expectPage(page, "View user");
  assert.equal(new URL(page.url()).pathname, `/users/${charles.id}`);
  assert.equal(await h1(page), "Charles Babbage");
  assert.equal((await page.locator("[data-testid=last-signed-in]").textContent())?.trim(), "User has never signed in");
  assert.deepEqual(await summaryRows(page), [
    ["First name", "Charles", "Change first name"],
    ["Last name", "Babbage", "Change last name"],
    ["Email address", charles.email, "Change email address"],
    ["Is the account an API user?", "No", "Change whether the account is an API user"],
    ["Role", "Viewer", "Change role"],
    ["Is the account active?", "No", "Change whether the account is active"],
  ]);
  assert.equal(await page.getByRole("link", { name: "Delete user" }).count(), 1);
  assert.equal(await page.getByRole("link", { name: "Back" }).getAttribute("href"), "/users?q=charles");
  assert.equal((await page.locator("main h2 + p").textContent())?.trim(), "No activity has been recorded for this user.", "a seeded user has no history");
  await expectAccessible(page);
  await screenshot(page, "07-user-details");
});

test("an editor sees no Change or Delete user for an administrator, and their change and delete addresses refuse", async ({ context, api }) => {
  const ada = await findUser(api, await tokenFor(api, GRACE), ADA);
  const page = await (await context()).newPage();
  await signedInAt(page, `/users/${ada.id}`);
  await expectPage(page, "View user");
  assert.deepEqual(await summaryRow(page, "Role"), ["Role", "Administrator", null]);
  assert.equal(await page.locator(".govuk-summary-list__actions").count(), 0);
  assert.equal(await page.getByRole("link", { name: "Delete user" }).count(), 0);
  assert.equal(await page.locator(".govuk-inset-text").count(), 0, "no word of an edit lock to someone who may change nothing");
  await expectAccessible(page);
  for (const path of [`/users/${ada.id}/change`, `/users/${ada.id}/delete`]) {
    await page.goto(path);
    await expectNoPermission(page, [NO_PERMISSION, ADMINISTRATORS_ONLY, "Go to the list of users"]);
  }
  await expectAccessible(page);
  await page.getByRole("link", { name: "Go to the list of users" }).click();
  await expectPage(page, /Users \(\d+\)/);
});

test("a viewer sees users and API clients with no Add, Change or Delete, and a change address gets the permission page", async ({ context, api }) => {
  const grace = await tokenFor(api, GRACE);
  const editor = await findUser(api, grace, GRACE);
  const client = await addClient(api, grace, "Viewer's view");
  const page = await (await context()).newPage();
  await signedInAt(page, "/users", "Dorothy Vaughan");
  await expectPage(page, /Users \(\d+\)/);
  assert.equal(await page.getByRole("button", { name: "Add user" }).count(), 0);
  await page.goto(`/users/${editor.id}`);
  await expectPage(page, "View user");
  assert.deepEqual(await summaryRow(page, "Role"), ["Role", "Editor", null]);
  assert.equal(await page.locator(".govuk-summary-list__actions").count(), 0, "no Change links");
  assert.equal(await page.getByRole("link", { name: "Delete user" }).count(), 0);
  await expectAccessible(page);

  for (const path of [`/users/${editor.id}/change`, `/users/${editor.id}/delete`, "/users/new"]) {
    await page.goto(path);
    await expectNoPermission(page, [NO_PERMISSION, "Go to the list of users"]);
  }
  assert.equal(await currentNav(page), "Users");
  await expectAccessible(page);
  await screenshot(page, "24-no-permission");

  await page.getByRole("link", { name: "API clients", exact: true }).click();
  await expectPage(page, /API clients \(\d+\)/);
  assert.equal(await page.getByRole("button", { name: "Add API client" }).count(), 0);
  await page.getByRole("link", { name: "Viewer's view" }).click();
  await expectPage(page, "View API client");
  for (const name of ["Rotate token", "Revoke API client", "Delete API client"]) assert.equal(await page.getByRole("link", { name }).count(), 0, name);
  assert.deepEqual(await summaryLines(page, "Scopes"), ["Read training provider data"]);
  assert.deepEqual(await summaryRow(page, "Allowed IP addresses"), ["Allowed IP addresses", "Any", null]);
  assert.equal(await page.locator(".govuk-summary-list__actions").count(), 0, "no Change links");
  await expectAccessible(page);
  for (const path of ["/api-clients/new", `/api-clients/${client.id}/change`, `/api-clients/${client.id}/rotate`, `/api-clients/${client.id}/revoke`, `/api-clients/${client.id}/delete`]) {
    await page.goto(path);
    await expectNoPermission(page, [NO_PERMISSION, "Go to the list of API clients"]);
  }
  assert.equal(await currentNav(page), "API clients");
  await expectAccessible(page);
});

test("an administrator adds an administrator with the role question, and makes an API user an editor", async ({ context, api }) => {
  const apiUser = await createUser(api, await tokenFor(api, ADA), "Frances", "Allen", null);
  const email = `mae.jemison.${Date.now()}@education.gov.uk`;
  const page = await (await context()).newPage();
  await signedInAt(page, "/users/new", "Ada Lovelace");
  await expectPage(page, "Add user");
  await page.getByLabel("First name").fill("Mae");
  await page.getByLabel("Last name").fill("Jemison");
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("group", { name: "Is the account an API user?" }).getByLabel("No").check();
  assert.deepEqual(await rolesOffered(page), [VIEWER_OPTION, EDITOR_OPTION, ADMINISTRATOR_OPTION]);
  await page.getByRole("group", { name: "What is the user's role?" }).getByLabel("Administrator").check();
  await expectAccessible(page);
  await screenshot(page, "25-add-user-role");
  await page.getByRole("button", { name: "Continue" }).click();
  await expectPage(page, "Check your answers");
  assert.deepEqual((await summaryRows(page)).slice(3), [
    ["Is the account an API user?", "No", "Change whether the account is an API user"],
    ["Role", "Administrator", "Change role"],
  ]);
  await expectAccessible(page);
  await page.getByRole("button", { name: "Save user" }).click();
  await expectPage(page, /Users \(\d+\)/);
  assert.equal(await bannerHeading(page), "User added");
  await page.getByRole("link", { name: "Mae Jemison" }).click();
  await expectPage(page, "View user");
  assert.deepEqual(await summaryRow(page, "Role"), ["Role", "Administrator", "Change role"]);
  assert.equal(await page.getByRole("link", { name: "Delete user" }).count(), 1);
  await expectAccessible(page);

  // An API user has no role; answering No to the API user question asks for one.
  await page.goto(`/users/${apiUser.id}`);
  await expectPage(page, "View user");
  assert.deepEqual(await summaryRow(page, "Role"), ["Role", "API user", null]);
  await page.getByRole("link", { name: "Change whether the account is an API user" }).click();
  await expectPage(page, "Change user");
  const roleQuestion = page.getByRole("group", { name: "What is the user's role?" });
  assert.equal(await roleQuestion.isVisible(), false);
  await page.getByRole("group", { name: "Is the account an API user?" }).getByLabel("No").check();
  assert.equal(await roleQuestion.isVisible(), true);
  await page.getByRole("button", { name: "Continue" }).click();
  await expectPage(page, "Change user", { errors: true });
  assert.deepEqual(await errorSummaryItems(page), ["Select the user's role"]);
  assert.equal(await page.locator(".govuk-error-summary__list a").getAttribute("href"), "#support_role");
  assert.equal((await page.locator("#support_role-error").textContent())?.trim(), "Error: Select the user's role");
  await expectAccessible(page);
  await roleQuestion.getByLabel("Editor").check();
  await page.getByRole("button", { name: "Continue" }).click();
  await expectPage(page, "Check your changes");
  const changes = await tableRows(page);
  assert.deepEqual(changes, [["Is the account an API user?", "Yes", "No"], ["Role", "API user", "Editor"]]);
  await expectAccessible(page);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expectPage(page, "View user");
  assert.equal(await bannerHeading(page), "User updated");
  assert.deepEqual(await summaryRow(page, "Role"), ["Role", "Editor", "Change role"]);
});

test("details of a user who has signed in: London time, and the edit lock hides name and email Change links", async ({ context, api }) => {
  const alan = await findUser(api, await tokenFor(api, GRACE), ALAN);
  assert.ok(alan.last_signed_in_at);
  const page = await (await context()).newPage();
  await signedInAt(page, `/users/${alan.id}`);
  await expectPage(page, "View user");
  const sentence = (await page.locator("[data-testid=last-signed-in]").textContent())?.trim() ?? "";
  assert.equal(sentence, `Last signed in on ${formatDateTime(alan.last_signed_in_at)}`);
  assert.match(sentence, /^Last signed in on \d{1,2} [A-Z][a-z]+ \d{4} at (\d{1,2}:\d{2}(am|pm)|midday|midnight)$/);
  const changeLinks = (await page.locator(".govuk-summary-list__actions a").allTextContents()).map((t) => t.trim());
  assert.deepEqual(changeLinks, ["Change whether the account is an API user", "Change role", "Change whether the account is active"]);
  await expectAccessible(page);
  await screenshot(page, "08-user-details-signed-in");

  await page.getByRole("link", { name: "Change whether the account is active" }).click();
  await expectPage(page, "Change user");
  assert.equal(await page.locator("#first_name").count(), 0, "locked fields are not on the form");
  assert.equal(await page.locator("input[name=active]").count(), 2);
});

test("change email: check your changes shows old and new values and the invitation, then saves", async ({ context, api }) => {
  const token = await tokenFor(api, GRACE);
  const user = await createUser(api, token, "Gladys", "West");
  const newEmail = `gladys.w.${Date.now()}@education.gov.uk`;
  const page = await (await context()).newPage();
  await signedInAt(page, `/users/${user.id}`);
  await expectPage(page, "View user");
  await page.getByRole("link", { name: "Change email address" }).click();
  await expectPage(page, "Change user");
  assert.equal(await page.getByLabel("Email address").inputValue(), user.email);
  await expectAccessible(page);
  await screenshot(page, "09-change-user");

  await page.getByLabel("First name").fill(" ");
  await page.getByLabel("Email address").fill("gladys@education.gov.uk.example.com");
  await page.getByRole("button", { name: "Continue" }).click();
  await expectPage(page, "Change user", { errors: true });
  assert.deepEqual(await errorSummaryItems(page), [
    "Enter first name",
    "Enter a Department for Education email address in the correct format, like name@education.gov.uk",
  ]);

  await page.getByLabel("First name").fill("Gladys");
  await page.getByLabel("Email address").fill(newEmail);
  await page.getByRole("button", { name: "Continue" }).click();
  await expectPage(page, "Check your changes");
  const changes = await tableRows(page);
  assert.deepEqual(changes, [["Email address", user.email, newEmail]]);
  assert.match((await page.locator(".govuk-inset-text").textContent()) ?? "", new RegExp(`We will email ${newEmail.replace(/\./g, "\\.")} an invitation to sign in`));
  await expectAccessible(page);
  await screenshot(page, "10-check-changes");

  await page.getByRole("button", { name: "Save changes" }).click();
  await expectPage(page, "View user");
  assert.equal(new URL(page.url()).pathname, `/users/${user.id}`);
  assert.equal(await bannerHeading(page), "User updated");
  assert.equal(await page.locator(".govuk-summary-list__row", { hasText: "Email address" }).locator(".govuk-summary-list__value").textContent().then((t) => t?.trim()), newEmail);
  await expectAccessible(page);
});

test("a change made meanwhile by someone else is refused (412), showing the user as it is now", async ({ context, api }) => {
  const token = await tokenFor(api, GRACE);
  const user = await createUser(api, token, "Mary", "Ross");
  const page = await (await context()).newPage();
  await signedInAt(page, `/users/${user.id}/change`);
  await expectPage(page, "Change user");
  await page.getByLabel("Last name").fill("Golda Ross");
  await page.getByRole("button", { name: "Continue" }).click();
  await expectPage(page, "Check your changes");

  const behindTheBack = await apiCall<User>(api, token, "PATCH", `/api/v1/users/${user.id}`, { first_name: "Golda" });
  assert.equal(behindTheBack.status, 200);

  await page.getByRole("button", { name: "Save changes" }).click();
  await expectPage(page, "Check your changes", { errors: true });
  assert.deepEqual(await errorSummaryItems(page), [CHANGED_BY_SOMEONE_ELSE]);
  const firstName = await page.locator(".govuk-summary-list__row", { hasText: "First name" }).locator(".govuk-summary-list__value").textContent();
  assert.equal(firstName?.trim(), "Golda");
  const lastName = await page.locator(".govuk-summary-list__row", { hasText: "Last name" }).locator(".govuk-summary-list__value").textContent();
  assert.equal(lastName?.trim(), "Ross", "the change was not saved");
  await expectAccessible(page);
  await screenshot(page, "11-changed-by-someone-else");

  await page.getByRole("button", { name: "Make your changes again" }).click();
  await expectPage(page, "Change user");
  assert.equal(await page.getByLabel("First name").inputValue(), "Golda");
  assert.equal(await page.getByLabel("Last name").inputValue(), "Ross");
});

test("delete a user after confirming; Cancel goes back without deleting", async ({ context, api }) => {
  const token = await tokenFor(api, GRACE);
  const user = await createUser(api, token, "Hedy", "Lamarr");
  const page = await (await context()).newPage();
  await signedInAt(page, `/users/${user.id}`);
  await expectPage(page, "View user");
  await page.getByRole("link", { name: "Delete user" }).click();
  await expectPage(page, "Confirm you want to delete user");
  assert.equal((await page.locator(".govuk-warning-text__text").textContent())?.replace(/\s+/g, " ").trim(), "Warning Deleting a user is permanent – you cannot undo it.");
  const deleteButton = page.getByRole("button", { name: "Delete user" });
  assert.match((await deleteButton.getAttribute("class")) ?? "", /govuk-button--warning/);
  await expectAccessible(page);
  await screenshot(page, "12-delete-user");

  await page.getByRole("link", { name: "Cancel" }).click();
  await expectPage(page, "View user");
  assert.equal((await apiCall(api, token, "GET", `/api/v1/users/${user.id}`)).status, 200);

  await page.getByRole("link", { name: "Delete user" }).click();
  await expectPage(page, "Confirm you want to delete user");
  await page.getByRole("button", { name: "Delete user" }).click();
  await expectPage(page, /Users \(\d+\)/);
  assert.equal(new URL(page.url()).pathname, "/users");
  assert.equal(await bannerHeading(page), "User deleted");
  assert.equal((await apiCall(api, token, "GET", `/api/v1/users/${user.id}`)).status, 404);
  await expectAccessible(page);
  await screenshot(page, "13-user-deleted");

  await page.goBack(); // the deleted user's page: gone
  await expectPage(page, "Page not found");
});

test("a guard's sentence is shown in an error summary: you cannot delete your own account", async ({ context, api }) => {
  const grace = await findUser(api, await tokenFor(api, GRACE), GRACE);
  const page = await (await context()).newPage();
  await signedInAt(page, `/users/${grace.id}/delete`);
  await expectPage(page, "Confirm you want to delete user");
  await page.getByRole("button", { name: "Delete user" }).click();
  await expectPage(page, "Confirm you want to delete user", { errors: true });
  assert.deepEqual(await errorSummaryItems(page), ["You cannot delete your own account"]);
  await expectAccessible(page);
  await screenshot(page, "14-cannot-delete-yourself");

  await page.goto(`/users/${grace.id}/change`); // a reload: the session cookie signs her back in
  await expectPage(page, "Change user");
  await page.getByRole("group", { name: "Is the account active?" }).getByLabel("No").check();
  await page.getByRole("button", { name: "Continue" }).click();
  await expectPage(page, "Change user", { errors: true });
  assert.deepEqual(await errorSummaryItems(page), ["You cannot deactivate your own account"]);
});

test("Swagger UI: Authorize with a token from dev sign-in, then Try it out on GET /api/v1/me answers 200", async ({ context, api }) => {
  const token = await tokenFor(api, KATHERINE);
  const page = await (await context()).newPage();
  await page.goto("/swagger-ui/");
  await page.locator(".btn.authorize").first().click();
  // The dialog lists both schemes; the JWT one is described as an access token.
  const dialog = page.locator(".auth-container").filter({ hasText: "An access token from" });
  await dialog.locator("input").fill(token);
  await dialog.locator("button.authorize").click();
  await page.locator(".auth-btn-wrapper button.btn-done").first().click();
  const operation = page.locator("#operations-account-get_current_user");
  await operation.locator(".opblock-summary").first().click();
  await operation.getByRole("button", { name: "Try it out" }).click();
  await operation.getByRole("button", { name: "Execute" }).click();
  const status = operation.locator(".live-responses-table tr.response .response-col_status").first();
  await status.waitFor();
  assert.equal((await status.textContent())?.trim(), "200");
  const body = (await operation.locator(".live-responses-table tr.response .response-col_description pre").first().textContent()) ?? "";
  assert.match(body, /katherine\.johnson@education\.gov\.uk/);
});

test("an API user is refused and told to use the API and Swagger UI", async ({ context }) => {
  const page = await (await context()).newPage();
  await page.goto("/users");
  await signInWithPersona(page, "Katherine Johnson");
  await expectPage(page, "Your account is not authorised");
  assert.equal(await page.getByRole("link", { name: "API documentation (Swagger UI)" }).getAttribute("href"), "/swagger-ui/");
  assert.equal(await page.locator(".govuk-service-navigation__list").count(), 0, "no navigation for an account that cannot use it");
  await expectAccessible(page);
  await screenshot(page, "15-not-authorised");
  await page.getByRole("link", { name: "Sign in with a different account" }).click();
  await expectPage(page, "Sign in");
});

test("an inactive account cannot sign in", async ({ context }) => {
  const page = await (await context()).newPage();
  await page.goto("/sign-in");
  await signInWithPersona(page, "Charles Babbage");
  await expectPage(page, "Your account is not authorised");
  assert.match((await page.locator("main").textContent()) ?? "", /ask a support user to add or reactivate your account/);
});

test("your account shows the signed-in user's own details", async ({ context }) => {
  const page = await (await context()).newPage();
  await signedInAt(page, "/users");
  await page.getByRole("link", { name: "Your account" }).click();
  await expectPage(page, "Your account");
  assert.equal(await currentNav(page), "Your account");
  assert.equal(await page.locator(".govuk-summary-list__row", { hasText: "Email address" }).locator(".govuk-summary-list__value").textContent().then((t) => t?.trim()), GRACE);
  assert.deepEqual(await summaryRow(page, "Role"), ["Role", "Editor", null]);
  assert.equal(await page.locator(".govuk-summary-list__actions").count(), 0, "read-only");
  await expectAccessible(page);
  await screenshot(page, "18-your-account");
});

test("sign out tells the API, forgets the token, and pages then ask to sign in", async ({ context }) => {
  const page = await (await context()).newPage();
  await signedInAt(page, "/users");
  await expectPage(page, /Users \(\d+\)/);
  const signOut = page.waitForRequest((r) => r.url().endsWith("/api/v1/auth/sign-out") && r.method() === "POST");
  await page.getByRole("link", { name: "Sign out" }).click();
  await signOut;
  await expectPage(page, "You have signed out");
  assert.equal(await page.locator(".govuk-service-navigation__list").count(), 0);
  await expectAccessible(page);
  await page.goBack();
  await expectPage(page, "Sign in");
  assert.equal(new URL(page.url()).searchParams.get("return_to"), "/users");
});

test("an address that is not a page, or a user that does not exist, shows Page not found", async ({ context }) => {
  const page = await (await context()).newPage();
  await page.goto("/no-such-page");
  await expectPage(page, "Page not found");
  await expectAccessible(page);
  await screenshot(page, "19-page-not-found");
  await signedInAt(page, "/users/0193b0c2-7a1e-7c4e-9f3a-1c2d3e4f5a6b");
  await expectPage(page, "Page not found");
});

test("an API failure shows Sorry, there is a problem with the service", async ({ context }) => {
  const page = await (await context()).newPage();
  await signedInAt(page, "/account");
  await expectPage(page, "Your account");
  await page.route("**/api/v1/users?*", (r) =>
    r.fulfill({
      status: 503,
      contentType: "application/problem+json",
      body: JSON.stringify({ type: "about:blank", title: "Service unavailable", status: 503, detail: "The database is unavailable", request_id: "test-request-id" }),
    }),
  );
  await page.getByRole("link", { name: "Users", exact: true }).click();
  await expectPage(page, "Sorry, there is a problem with the service");
  assert.match((await page.locator("main").textContent()) ?? "", /test-request-id/);
  await expectAccessible(page);
  await screenshot(page, "20-problem");
});

test("titles never carry personal data, and the skip link reaches main content", async ({ context, api }) => {
  const ada = await findUser(api, await tokenFor(api, GRACE), ADA);
  const page = await (await context()).newPage();
  await signedInAt(page, `/users/${ada.id}`);
  await expectPage(page, "View user");
  assert.equal(await page.title(), title("View user"));
  await page.keyboard.press("Shift+Tab"); // from the h1 back through the header to the skip link
  for (let i = 0; i < 20 && (await page.evaluate(() => document.activeElement?.className)) !== "govuk-skip-link"; i++) {
    await page.keyboard.press("Shift+Tab");
  }
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "main-content");
  assert.equal(await page.title(), title("View user"), "following the skip link is not a new page");
});

test("DfE Sign-in is offered when OIDC is on, returning to the page asked for", async ({ context }) => {
  const page = await (await context()).newPage();
  await page.route("**/api/v1/auth/config", (r) =>
    r.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify({ dev_sign_in: false, oidc: true, service_name: "Manage training provider users" }) }),
  );
  await page.goto("/users?q=ada");
  await page.waitForFunction(() => document.title === "Sign in - Manage training provider users - GOV.UK");
  const start = page.getByRole("button", { name: "Sign in with DfE Sign-in" });
  assert.equal(await start.getAttribute("href"), "/api/v1/auth/oidc/start?return_to=%2Fusers%3Fq%3Dada");
  assert.equal(await page.getByRole("button", { name: /Sign in as/ }).count(), 0, "no personas when dev sign-in is off");
  assert.equal((await page.locator(".govuk-service-navigation__service-name").textContent())?.trim(), "Manage training provider users");
  await expectAccessible(page);
});

test("a session the API stops accepting (401) sends the user to sign in, and back afterwards", async ({ context, api }) => {
  const grace = await tokenFor(api, GRACE);
  const user = await createUser(api, grace, "Evelyn", "Boyd");
  const page = await (await context()).newPage();
  await page.goto("/account");
  await expectPage(page, "Sign in");
  await page.getByLabel("Or sign in with an email address").fill(user.email);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expectPage(page, "Your account");
  const me = await findUser(api, grace, user.email);
  assert.equal((await apiCall(api, grace, "PATCH", `/api/v1/users/${user.id}`, { active: false }, { "If-Match": `"${me.version}"` })).status, 200);
  await page.getByRole("link", { name: "Users", exact: true }).click();
  await expectPage(page, "Sign in");
  assert.equal(new URL(page.url()).searchParams.get("return_to"), "/users");
  await signInWithPersona(page, "Grace Hopper");
  await expectPage(page, /Users \(\d+\)/);
  assert.equal(new URL(page.url()).pathname, "/users");
});

test("activity: a user's timeline shows add, change of email, sign-in and emails; once deleted, the Activity page finds them", async ({ context, api }) => {
  const token = await tokenFor(api, GRACE);
  const stamp = Date.now();
  const firstEmail = `mary.jackson.${stamp}@education.gov.uk`;
  const secondEmail = `mary.w.jackson.${stamp}@education.gov.uk`;
  const page = await (await context()).newPage();

  // Add Mary Jackson through the pages.
  await signedInAt(page, "/users/new");
  await expectPage(page, "Add user");
  await page.getByLabel("First name").fill("Mary");
  await page.getByLabel("Last name").fill("Jackson");
  await page.getByLabel("Email address").fill(firstEmail);
  await page.getByRole("group", { name: "Is the account an API user?" }).getByLabel("No").check();
  await page.getByRole("group", { name: "What is the user's role?" }).getByLabel("Viewer").check();
  await page.getByRole("button", { name: "Continue" }).click();
  await expectPage(page, "Check your answers");
  await page.getByRole("button", { name: "Save user" }).click();
  await expectPage(page, /Users \(\d+\)/);
  const mary = await findUser(api, token, firstEmail);
  await activityOf(api, token, mary.id, (entries) => countOf("email.sent")(entries) === 1);

  // Change her email address.
  await page.goto(`/users/${mary.id}`);
  await expectPage(page, "View user");
  await page.getByRole("link", { name: "Change email address" }).click();
  await expectPage(page, "Change user");
  await page.getByLabel("Email address").fill(secondEmail);
  await page.getByRole("button", { name: "Continue" }).click();
  await expectPage(page, "Check your changes");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expectPage(page, "View user");
  await activityOf(api, token, mary.id, (entries) => countOf("email.sent")(entries) === 2);

  // She signs in, in a browser of her own.
  const hers = await (await context()).newPage();
  await hers.goto("/sign-in");
  await expectPage(hers, "Sign in");
  await hers.getByLabel("Or sign in with an email address").fill(secondEmail);
  await hers.getByRole("button", { name: "Sign in", exact: true }).click();
  await expectPage(hers, /Users \(\d+\)/);

  const recorded = await activityOf(api, token, mary.id, (entries) => countOf("user.signed_in")(entries) === 1);
  assert.deepEqual(recorded.map((e) => e.action), ["user.signed_in", "email.sent", "user.updated", "email.sent", "user.created"]);
  const when = recorded.map((e) => formatDateTime(e.occurred_at));
  await page.reload();
  await expectPage(page, "View user");
  assert.equal(await page.locator("main h2", { hasText: "Activity" }).count(), 1);
  assert.deepEqual(await timelineEntries(page), [
    { title: "Signed in", byline: `By Mary Jackson on ${when[0]}`, subject: "", changes: [] },
    { title: "Invitation email sent", byline: `On ${when[1]}`, subject: "", changes: [] },
    { title: "User details updated", byline: `By Grace Hopper on ${when[2]}`, subject: "", changes: [`Email address: ${firstEmail} → ${secondEmail}`] },
    { title: "Invitation email sent", byline: `On ${when[3]}`, subject: "", changes: [] },
    {
      title: "User added",
      byline: `By Grace Hopper on ${when[4]}`,
      subject: "",
      changes: ["First name: Mary", "Last name: Jackson", `Email address: ${firstEmail}`, "Is the account an API user?: No", "Role: Viewer", "Is the account active?: Yes"],
    },
  ]);
  assert.equal(await page.locator(".app-timeline__item h3.govuk-heading-s").count(), 5, "entries are headed h3, under the h2");
  assert.equal(await page.locator("ol.app-timeline time").first().getAttribute("datetime"), recorded[0]?.occurred_at);
  assert.equal(await page.getByRole("button", { name: "Show older activity" }).count(), 0, "everything fits on one page");
  await expectAccessible(page);
  await screenshot(page, "16-user-activity");

  // Delete her, then find that on the Activity page.
  await page.getByRole("link", { name: "Delete user" }).click();
  await expectPage(page, "Confirm you want to delete user");
  await page.getByRole("button", { name: "Delete user" }).click();
  await expectPage(page, /Users \(\d+\)/);
  const navigation = (await page.locator(".govuk-service-navigation__item").allTextContents()).map((t) => t.trim());
  assert.deepEqual(navigation, ["Users", "API clients", "Activity", "Your account", "Sign out"]);
  await page.getByRole("link", { name: "Activity", exact: true }).click();
  await expectPage(page, "Activity");
  assert.equal(await h1(page), "Activity");
  assert.equal(await page.title(), "Activity - Register of training providers - GOV.UK");
  assert.equal(await currentNav(page), "Activity");
  assert.equal(await page.getByLabel("Action").inputValue(), "");
  await expectAccessible(page);

  await page.getByLabel("Action").selectOption({ label: "User deleted" });
  await page.getByRole("button", { name: "Apply filters" }).click();
  await page.waitForURL("**/activity?action=user.deleted");
  await expectPage(page, "Activity");
  const deleted = await timelineEntries(page);
  assert.ok(deleted.every((e) => e.title === "User deleted"), JSON.stringify(deleted));
  const removal = await activityOf(api, token, mary.id, (entries) => entries[0]?.action === "email.sent" && entries[1]?.action === "user.deleted");
  assert.equal(removal[0]?.details?.email_kind, "removal");
  assert.deepEqual(deleted[0], {
    title: "User deleted",
    byline: `By Grace Hopper on ${formatDateTime(removal[1]?.occurred_at ?? "")}`,
    subject: "User: Mary Jackson (deleted)",
    changes: [],
  });
  assert.equal(await page.locator(".app-timeline__item").first().locator("a").count(), 0, "no link to a user who is gone");
  assert.equal(await page.locator(".app-timeline__item h2.govuk-heading-s").count(), deleted.length, "entries are headed h2, under the h1");
  await expectAccessible(page);

  await page.getByLabel("Action").selectOption({ label: "Email sent" });
  await page.getByRole("button", { name: "Apply filters" }).click();
  await page.waitForURL("**/activity?action=email.sent");
  await expectPage(page, "Activity");
  const emails = await timelineEntries(page);
  assert.deepEqual(emails[0], { title: "Removal email sent", byline: `On ${formatDateTime(removal[0]?.occurred_at ?? "")}`, subject: "User: Mary Jackson (deleted)", changes: [] });

  // The filters live in the address: back and forward redraw them.
  await page.goBack();
  await page.waitForURL("**/activity?action=user.deleted");
  await expectPage(page, "Activity");
  assert.equal(await page.getByLabel("Action").inputValue(), "user.deleted");
  await page.goBack();
  await page.waitForURL((url) => url.pathname === "/activity" && url.search === "");
  await expectPage(page, "Activity");
  assert.equal(await page.getByLabel("Action").inputValue(), "");
  await page.goForward();
  await page.waitForURL("**/activity?action=user.deleted");
  await expectPage(page, "Activity");
  assert.equal((await timelineEntries(page))[0]?.subject, "User: Mary Jackson (deleted)");
});

test("activity filters: an invalid date is shown in an error summary, and the form works with the keyboard alone", async ({ context, api }) => {
  const token = await tokenFor(api, GRACE);
  const user = await createUser(api, token, "Christine", "Darden");
  assert.equal((await apiCall(api, token, "PATCH", `/api/v1/users/${user.id}`, { last_name: "Mann Darden" })).status, 200);
  const page = await (await context()).newPage();
  await signedInAt(page, "/activity");
  await expectPage(page, "Activity");

  await page.getByLabel("From date").fill("27/3/2025");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await page.waitForURL("**/activity?from=27%2F3%2F2025");
  await expectPage(page, "Activity", { errors: true });
  const message = "Since must be a date, like 2025-12-11, or a date and time, like 2025-12-11T14:13:00Z";
  assert.deepEqual(await errorSummaryItems(page), [message]);
  assert.equal(await page.locator(".govuk-error-summary__list a").getAttribute("href"), "#from");
  assert.equal((await page.locator("#from-error").textContent())?.trim(), `Error: ${message}`);
  assert.equal(await page.getByLabel("From date").inputValue(), "27/3/2025", "what was typed is kept");
  assert.equal(await page.locator(".app-timeline").count(), 0);
  await expectAccessible(page);
  await page.locator(".govuk-error-summary__list a").click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), "from");

  // Keyboard only, from the top of a fresh page.
  await page.goto("/activity");
  await expectPage(page, "Activity");
  await tabTo(page, "the Action filter", (el) => el.id === "action");
  await page.keyboard.press("ArrowDown"); // User added
  await page.keyboard.press("ArrowDown"); // User details updated
  assert.equal(await page.getByLabel("Action").inputValue(), "user.updated");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "from");
  await page.keyboard.type("2025-07-01"); // a summer date: the API is asked from midnight BST
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "to");
  await page.keyboard.type("2099-12-31");
  await tabTo(page, "Apply filters", (el) => el.text === "Apply filters");
  const asked = page.waitForRequest((r) => r.url().includes("/api/v1/activity?"));
  await page.keyboard.press("Enter");
  await page.waitForURL("**/activity?action=user.updated&from=2025-07-01&to=2099-12-31");
  const query = new URL((await asked).url()).searchParams;
  assert.equal(query.get("since"), "2025-07-01T00:00:00+01:00");
  assert.equal(query.get("until"), "2100-01-01T00:00:00Z");
  await expectPage(page, "Activity");
  const entries = await timelineEntries(page);
  assert.ok(entries.length > 0 && entries.every((e) => e.title === "User details updated"), JSON.stringify(entries));
  const christine = entries.find((e) => e.subject === "User: Christine Mann Darden");
  assert.deepEqual(christine?.changes, ["Last name: Darden → Mann Darden"]);
  assert.equal(await page.getByRole("link", { name: "Christine Mann Darden" }).first().getAttribute("href"), `/users/${user.id}`);
  await expectAccessible(page);
  await screenshot(page, "17-activity");

  // A deep link shows the same filters in the form.
  await page.reload();
  await expectPage(page, "Activity");
  assert.equal(await page.getByLabel("Action").inputValue(), "user.updated");
  assert.equal(await page.getByLabel("From date").inputValue(), "2025-07-01");
  assert.equal(await page.getByLabel("To date").inputValue(), "2099-12-31");
  await page.getByRole("link", { name: "Clear filters" }).click();
  await page.waitForURL((url) => url.pathname === "/activity" && url.search === "");
  await expectPage(page, "Activity");
  assert.equal(await page.getByLabel("From date").inputValue(), "");

  // A filter that matches nothing says so.
  await page.goto("/activity?from=2099-01-01");
  await expectPage(page, "Activity");
  assert.equal(await page.getByText("No activity matches these filters.").count(), 1);
});

test("activity is shown 25 entries at a time; Show older activity adds the rest and moves focus to them", async ({ context, api }) => {
  const token = await tokenFor(api, GRACE);
  const user = await createUser(api, token, "Katherine", "Coleman");
  for (let i = 1; i <= 25; i++) {
    assert.equal((await apiCall(api, token, "PATCH", `/api/v1/users/${user.id}`, { last_name: `Coleman ${i}` })).status, 200);
  }
  await activityOf(api, token, user.id, (entries) => entries.length === 27);
  const page = await (await context()).newPage();
  await signedInAt(page, `/users/${user.id}`);
  await expectPage(page, "View user");
  assert.equal(await page.locator(".app-timeline__item").count(), 25);
  assert.deepEqual((await timelineEntries(page))[0]?.changes, ["Last name: Coleman 24 → Coleman 25"]);

  await tabTo(page, "Show older activity", (el) => el.text === "Show older activity");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelectorAll(".app-timeline__item").length === 27);
  const focused = await page.evaluate(() => {
    const el = document.activeElement;
    return { tag: el?.tagName.toLowerCase(), index: [...document.querySelectorAll(".app-timeline__item")].findIndex((li) => li.contains(el)) };
  });
  assert.deepEqual(focused, { tag: "h3", index: 25 }, "focus is on the first entry added");
  assert.equal((await timelineEntries(page)).at(-1)?.title, "User added");
  assert.equal(await page.getByRole("button", { name: "Show older activity" }).count(), 0, "nothing older is left");
  await expectAccessible(page);

  // The same on the Activity page, where there is always more.
  await page.getByRole("link", { name: "Activity", exact: true }).click();
  await expectPage(page, "Activity");
  assert.equal(await page.locator(".app-timeline__item").count(), 25);
  await page.getByRole("button", { name: "Show older activity" }).click();
  await page.waitForFunction(() => document.querySelectorAll(".app-timeline__item").length > 25);
  assert.equal(await page.evaluate(() => document.activeElement?.closest(".app-timeline__item") === document.querySelectorAll(".app-timeline__item")[25]), true);
  const times = await page.locator(".app-timeline__item time").evaluateAll((ts) => ts.map((t) => t.getAttribute("datetime") ?? ""));
  assert.deepEqual([...times].sort().reverse(), times, "newest first across both pages");
  await expectAccessible(page);
});

interface Client {
  id: string;
  name: string;
  status: string;
  token?: string;
}

async function addClient(api: Api, token: string, name: string): Promise<Client> {
  const { status, body } = await apiCall<Client>(api, token, "POST", "/api/v1/api-clients", { name });
  assert.equal(status, 201, JSON.stringify(body));
  return body;
}

async function providersStatus(api: Api, clientToken: string): Promise<number> {
  return (await apiCall(api, clientToken, "GET", "/api/v1/providers?per_page=1")).status;
}

test("API clients: add one with the API's messages, its token shown once with a copy button", async ({ context, api }) => {
  const browserContext = await context();
  await browserContext.grantPermissions(["clipboard-read", "clipboard-write"], { origin: api.baseUrl });
  const page = await browserContext.newPage();
  await signedInAt(page, "/users");
  await expectPage(page, /Users \(\d+\)/);
  await page.getByRole("link", { name: "API clients", exact: true }).click();
  await expectPage(page, /API clients \(\d+\)/);
  assert.equal(await currentNav(page), "API clients");
  await page.getByRole("button", { name: "Add API client" }).click();
  await expectPage(page, "Add API client");
  await expectAccessible(page);

  const submit = page.getByRole("button", { name: "Add API client" });
  await submit.click();
  await expectPage(page, "Add API client", { errors: true });
  assert.deepEqual(await errorSummaryItems(page), ["Enter client name"]);
  await page.locator(".govuk-error-summary__list a", { hasText: "Enter client name" }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), "name");

  await page.getByLabel("Client name").fill("Payroll sync");
  await page.getByLabel("Day").fill("1");
  await page.getByLabel("Month").fill("1");
  await page.getByLabel("Year").fill("2020");
  await submit.click();
  await expectPage(page, "Add API client", { errors: true });
  assert.deepEqual(await errorSummaryItems(page), ["Expiry date must be in the future"]);
  assert.equal(await page.getByLabel("Client name").inputValue(), "Payroll sync", "answers are kept");
  await page.locator(".govuk-error-summary__list a").click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), "expires_on", "the link lands on the day");
  await expectAccessible(page);
  await screenshot(page, "20-add-api-client-errors");

  await page.getByLabel("Day").fill("31");
  await page.getByLabel("Month").fill("2");
  await submit.click();
  await expectPage(page, "Add API client", { errors: true });
  assert.deepEqual(await errorSummaryItems(page), ["Enter expiry date"]);
  const nextYear = new Date().getUTCFullYear() + 2;
  await page.getByLabel("Day").fill("1");
  await page.getByLabel("Month").fill("1");
  await page.getByLabel("Year").fill(String(nextYear));
  await submit.click();
  await expectPage(page, "Add API client", { errors: true });
  assert.deepEqual(await errorSummaryItems(page), ["Expiry date must be within 12 months"]);

  await page.getByLabel("Day").fill("");
  await page.getByLabel("Month").fill("");
  await page.getByLabel("Year").fill("");
  await submit.click();
  await expectPage(page, "View API client");
  assert.equal(await bannerHeading(page), "API client added");
  assert.equal(await h1(page), "Payroll sync");
  const token = await page.getByLabel("Token for this API client").inputValue();
  assert.match(token, /^dfe_rtp_[A-Za-z0-9]{49}$/);
  assert.equal(await page.getByText("You will not be able to see this token again.", { exact: false }).count(), 1);
  await expectAccessible(page);
  await screenshot(page, "21-api-client-token");
  await page.getByRole("button", { name: "Copy token" }).click();
  await page.getByRole("status").filter({ hasText: "Token copied" }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), token);
  assert.equal(await providersStatus(api, token), 200, "the token reads provider data");

  await page.getByRole("link", { name: "Back" }).click();
  await expectPage(page, /API clients \(\d+\)/);
  assert.equal(await page.getByText(token).count(), 0);
  await page.getByRole("link", { name: "Payroll sync" }).click();
  await expectPage(page, "View API client");
  assert.equal(await page.getByLabel("Token for this API client").count(), 0, "the token is shown only once");
  assert.equal(await page.content().then((c) => c.includes(token)), false);
});

test("API clients: the list's status tags, then rotate, revoke with confirmation and delete", async ({ context, api }) => {
  const grace = await tokenFor(api, GRACE);
  const katherine = await tokenFor(api, KATHERINE);
  const kept = await addClient(api, katherine, "Funding returns");
  const client = await addClient(api, grace, "Nightly export");
  const page = await (await context()).newPage();
  await signedInAt(page, "/api-clients");
  await expectPage(page, /API clients \(\d+\)/);
  const rowOf = (name: string) => page.locator("tbody tr", { has: page.getByRole("link", { name, exact: true }) });
  const cells = (await rowOf("Funding returns").locator("td").allTextContents()).map((t) => t.trim());
  assert.deepEqual([cells[0], cells[1], cells[3]], ["Funding returns", "Katherine Johnson", "Active"]);
  assert.match(cells[2] ?? "", /^\d{1,2} [A-Z][a-z]+ \d{4}$/);
  await expectAccessible(page);
  await screenshot(page, "22-api-clients");

  await rowOf("Nightly export").getByRole("link").click();
  await expectPage(page, "View API client");
  await page.getByRole("link", { name: "Rotate token" }).click();
  await expectPage(page, "Confirm you want to rotate the token");
  await expectAccessible(page);
  await page.getByRole("button", { name: "Rotate token" }).click();
  await expectPage(page, "View API client");
  assert.equal(await bannerHeading(page), "API client token rotated");
  const rotated = await page.getByLabel("Token for this API client").inputValue();
  assert.notEqual(rotated, client.token);
  assert.match((await page.locator(".govuk-summary-list__row", { hasText: "Previous token" }).textContent()) ?? "", /Works until/);
  assert.equal(await providersStatus(api, client.token ?? ""), 200, "the old token works during the grace period");
  assert.equal(await providersStatus(api, rotated), 200);

  await page.getByRole("link", { name: "Revoke API client" }).click();
  await expectPage(page, "Confirm you want to revoke API client");
  await expectAccessible(page);
  await screenshot(page, "23-revoke-api-client");
  await page.getByRole("link", { name: "Cancel" }).click();
  await expectPage(page, "View API client");
  assert.equal(await providersStatus(api, rotated), 200, "cancelling revokes nothing");
  await page.getByRole("link", { name: "Revoke API client" }).click();
  await expectPage(page, "Confirm you want to revoke API client");
  await page.getByRole("button", { name: "Revoke API client" }).click();
  await expectPage(page, "View API client");
  assert.equal(await bannerHeading(page), "API client revoked");
  assert.equal((await page.locator(".govuk-summary-list__row", { hasText: "Status" }).locator(".govuk-tag").textContent())?.trim(), "Revoked");
  assert.equal(await page.getByRole("link", { name: "Rotate token" }).count(), 0);
  assert.equal(await providersStatus(api, rotated), 401);
  assert.equal(await providersStatus(api, client.token ?? ""), 401);

  await page.getByRole("link", { name: "Back" }).click();
  await expectPage(page, /API clients \(\d+\)/);
  assert.equal((await rowOf("Nightly export").locator(".govuk-tag").textContent())?.trim(), "Revoked");
  await rowOf("Nightly export").getByRole("link").click();
  await expectPage(page, "View API client");
  await page.getByRole("link", { name: "Delete API client" }).click();
  await expectPage(page, "Confirm you want to delete API client");
  await page.getByRole("button", { name: "Delete API client" }).click();
  await expectPage(page, /API clients \(\d+\)/);
  assert.equal(await bannerHeading(page), "API client deleted");
  assert.equal(await rowOf("Nightly export").count(), 0);
  assert.equal(await rowOf("Funding returns").count(), 1);
  assert.equal(await providersStatus(api, kept.token ?? ""), 200, "other clients are untouched");
});

const SCOPES_QUESTION = "What can this API client do?";
const IPS_QUESTION = "Which IP addresses can use this API client?";

test("API clients: an administrator adds one for another user with scopes and allowed IP addresses, then changes them", async ({ context, api }) => {
  const katherine = await findUser(api, await tokenFor(api, ADA), KATHERINE);
  const page = await (await context()).newPage();
  await signedInAt(page, "/api-clients/new", "Ada Lovelace");
  await expectPage(page, "Add API client");
  assert.deepEqual(await checkboxesOffered(page, SCOPES_QUESTION), [
    ["Read training provider data", true],
    ["Manage its own API clients", false],
    ["Provision users (SCIM)", false],
  ]);
  await expectAccessible(page);

  const submit = page.getByRole("button", { name: "Add API client" });
  const owner = page.getByLabel("Who will own this API client?");
  await owner.fill("nobody.here@education.gov.uk");
  await page.getByLabel("Client name").fill("Funding sync");
  await submit.click();
  await expectPage(page, "Add API client", { errors: true });
  assert.deepEqual(await errorSummaryItems(page), ["Select a user who can own this API client"]);
  await page.locator(".govuk-error-summary__list a").click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), "owner_id");

  await owner.fill(KATHERINE);
  await page.getByLabel("Manage its own API clients").check();
  const ips = page.getByLabel(IPS_QUESTION);
  await ips.fill("192.0.2.10\n\nnot-an-address");
  await submit.click();
  await expectPage(page, "Add API client", { errors: true });
  const badIp = "Enter IP addresses or ranges like 192.0.2.10 or 192.0.2.0/24";
  assert.deepEqual(await errorSummaryItems(page), [badIp]);
  assert.equal((await page.locator("#allowed_ips-error").textContent())?.trim(), `Error: ${badIp}`);
  assert.equal(await ips.inputValue(), "192.0.2.10\n\nnot-an-address", "answers are kept");
  assert.equal(await owner.inputValue(), KATHERINE);
  assert.deepEqual((await checkboxesOffered(page, SCOPES_QUESTION)).map(([, ticked]) => ticked), [true, true, false]);
  await page.locator(".govuk-error-summary__list a").click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), "allowed_ips");
  await expectAccessible(page);
  await screenshot(page, "26-add-api-client-scopes-errors");

  await ips.fill(" 192.0.2.10\n198.51.100.0/24\n");
  await submit.click();
  await expectPage(page, "View API client");
  assert.equal(await bannerHeading(page), "API client added");
  assert.deepEqual(await summaryRow(page, "Owner"), ["Owner", "Katherine Johnson", null]);
  assert.deepEqual(await summaryLines(page, "Scopes"), ["Read training provider data", "Manage its own API clients"]);
  assert.deepEqual(await summaryLines(page, "Allowed IP addresses"), ["192.0.2.10", "198.51.100.0/24"]);
  assert.equal((await summaryRow(page, "Scopes"))?.[2], "Change scopes");
  assert.equal((await summaryRow(page, "Allowed IP addresses"))?.[2], "Change allowed IP addresses");
  const token = await page.getByLabel("Token for this API client").inputValue();
  assert.equal(await providersStatus(api, token), 403, "127.0.0.1 is not among its addresses");
  await expectAccessible(page);
  await screenshot(page, "27-api-client-scopes");

  await page.getByRole("link", { name: "Change scopes" }).click();
  await expectPage(page, "Change API client");
  assert.equal(await ips.inputValue(), "192.0.2.10\n198.51.100.0/24");
  await page.getByLabel("Provision users (SCIM)").check();
  await page.getByRole("button", { name: "Save changes" }).click();
  await expectPage(page, "Change API client", { errors: true });
  assert.deepEqual(await errorSummaryItems(page), ["Only an administrator's API client can have the scim scope"]);
  await page.locator(".govuk-error-summary__list a").click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), "scopes", "the link lands on the first checkbox");
  await expectAccessible(page);
  await page.getByLabel("Provision users (SCIM)").uncheck();
  await page.getByLabel("Manage its own API clients").uncheck();
  await ips.fill("");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expectPage(page, "View API client");
  assert.equal(await bannerHeading(page), "API client updated");
  assert.deepEqual(await summaryLines(page, "Scopes"), ["Read training provider data"]);
  assert.deepEqual(await summaryRow(page, "Allowed IP addresses"), ["Allowed IP addresses", "Any", "Change allowed IP addresses"]);
  assert.equal(await providersStatus(api, token), 200, "any address may use it now");
  const clients = await apiCall<{ items: { name: string; owner: { id: string } }[] }>(api, await tokenFor(api, ADA), "GET", "/api/v1/api-clients?per_page=100");
  assert.deepEqual(clients.body.items.filter((c) => c.name === "Funding sync").map((c) => c.owner.id), [katherine.id], "one client, Katherine's");
});

test("API clients: an editor is not offered Provision users (SCIM), and changing an administrator's client keeps it", async ({ context, api }) => {
  const ada = await tokenFor(api, ADA);
  const { status, body: client } = await apiCall<Client>(api, ada, "POST", "/api/v1/api-clients", { name: "Provisioning", scopes: ["providers:read", "scim"] });
  assert.equal(status, 201);
  const page = await (await context()).newPage();
  await signedInAt(page, "/api-clients/new");
  await expectPage(page, "Add API client");
  assert.deepEqual(await checkboxesOffered(page, SCOPES_QUESTION), [["Read training provider data", true], ["Manage its own API clients", false]]);

  await page.goto(`/api-clients/${client.id}`);
  await expectPage(page, "View API client");
  assert.deepEqual(await summaryLines(page, "Scopes"), ["Read training provider data", "Provision users (SCIM)"]);
  await page.getByRole("link", { name: "Change allowed IP addresses" }).click();
  await expectPage(page, "Change API client");
  assert.deepEqual(await checkboxesOffered(page, SCOPES_QUESTION), [["Read training provider data", true], ["Manage its own API clients", false]]);
  await expectAccessible(page);
  await page.getByLabel(IPS_QUESTION).fill("203.0.113.0/24");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expectPage(page, "View API client");
  assert.deepEqual(await summaryLines(page, "Scopes"), ["Read training provider data", "Provision users (SCIM)"]);
  assert.deepEqual(await summaryLines(page, "Allowed IP addresses"), ["203.0.113.0/24"]);
});

/** Waits out the last seconds of a UTC day, so that requests made next all count on the same day. */
async function notAtMidnightUtc(): Promise<void> {
  const untilMidnight = 86_400_000 - (Date.now() % 86_400_000);
  if (untilMidnight < 5_000) await new Promise((r) => setTimeout(r, untilMidnight + 100));
}

test("API clients: a viewer sees a client's usage, today's requests and refusals and where it was last used from", async ({ context, api }) => {
  const katherine = await tokenFor(api, KATHERINE);
  const client = await addClient(api, katherine, "Usage report");
  const unused = await addClient(api, katherine, "Never called");
  await notAtMidnightUtc();
  assert.equal(await providersStatus(api, client.token ?? ""), 200);
  assert.equal(await providersStatus(api, client.token ?? ""), 200);
  assert.equal((await apiCall(api, client.token ?? "", "GET", "/api/v1/api-clients")).status, 403, "without api_clients:manage: refused");
  const today = utcToday();
  const usage = await apiCall<{ last_used_at: string }>(api, await tokenFor(api, DOROTHY), "GET", `/api/v1/api-clients/${client.id}/usage`);
  assert.equal(usage.status, 200);

  const page = await (await context()).newPage();
  await signedInAt(page, `/api-clients/${client.id}`, "Dorothy Vaughan");
  await expectPage(page, "View API client");
  assert.equal(await page.getByRole("heading", { level: 2, name: "Usage" }).count(), 1);
  assert.deepEqual(await summaryRow(page, "Last used"), ["Last used", formatDateTime(usage.body.last_used_at), null]);
  assert.deepEqual(await summaryRow(page, "Last used from"), ["Last used from", "127.0.0.1", null]);
  assert.equal((await page.locator(".govuk-table__caption").textContent())?.trim(), "Requests per day, last 90 days");
  assert.deepEqual(await tableRows(page), [[formatDate(today), "3", "1"]], "two reads and one refusal, today");
  assert.equal(await page.locator(".app-usage-chart[aria-hidden=true] rect").count(), 1, "one bar, hidden from screen readers");
  await expectAccessible(page);
  await screenshot(page, "28-api-client-usage");

  await page.route("**/api/v1/api-clients/*/usage", (r) =>
    r.fulfill({ status: 503, contentType: "application/problem+json", body: JSON.stringify({ type: "about:blank", title: "Service unavailable", status: 503, detail: "The database is unavailable" }) }),
  );
  await page.reload();
  await expectPage(page, "View API client");
  assert.equal(await h1(page), "Usage report", "the rest of the page is shown");
  assert.deepEqual(await summaryRow(page, "Owner"), ["Owner", "Katherine Johnson", null]);
  assert.equal((await page.locator(".govuk-inset-text").textContent())?.trim(), "Usage could not be loaded.");
  assert.equal(await page.locator(".govuk-table").count(), 0);
  await expectAccessible(page);
  await page.unroute("**/api/v1/api-clients/*/usage");

  await page.goto(`/api-clients/${unused.id}`);
  await expectPage(page, "View API client");
  assert.deepEqual(await summaryRow(page, "Last used"), ["Last used", "Never", null]);
  assert.deepEqual(await summaryRow(page, "Last used from"), ["Last used from", "Never", null]);
  assert.equal(await page.getByText("This API client has not been used in the last 90 days.").count(), 1);
  assert.equal(await page.locator(".govuk-table, .app-usage-chart").count(), 0);
  await expectAccessible(page);
});

const MAIN_SCREENSHOTS = ["01-sign-in", "02-users", "04-add-user-errors", "05-check-answers", "07-user-details", "10-check-changes", "11-changed-by-someone-else", "12-delete-user", "15-not-authorised", "16-user-activity", "17-activity", "21-api-client-token", "22-api-clients"];

const args = process.argv.slice(2);
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;
const code = await run(only);
if (code === 0 && args.includes("--update-screenshots")) {
  const docs = join(frontendDir, "..", "docs", "screenshots");
  mkdirSync(docs, { recursive: true });
  for (const name of MAIN_SCREENSHOTS) copyFileSync(join(screenshotDir, `${name}.png`), join(docs, `${name}.png`));
  console.log(`copied ${MAIN_SCREENSHOTS.length} screenshots to ${docs}`);
}
process.exit(code);
