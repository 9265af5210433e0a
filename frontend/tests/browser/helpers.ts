/** Steps the browser tests share: signing in, waiting for a page, talking to the API directly. */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import type { User } from "../../src/api/client";
import { pageTitle, DEFAULT_SERVICE_NAME } from "../../src/titles";
import type { Api } from "./harness";

/** The development personas (email → role): Ada administrator, Grace and Alan editors, Dorothy viewer. */
export const GRACE = "grace.hopper@education.gov.uk";
export const ADA = "ada.lovelace@education.gov.uk";
export const DOROTHY = "dorothy.vaughan@education.gov.uk";
export const ALAN = "alan.turing@education.gov.uk";
export const KATHERINE = "katherine.johnson@education.gov.uk";
export const CHARLES = "charles.babbage@education.gov.uk";

export const title = (page: string, errors = false): string => pageTitle(page, DEFAULT_SERVICE_NAME, errors);

/**
 * Waits until the SPA has drawn the page titled `name` (with `Error: ` when
 * `errors`), then checks that focus is on the error summary or the h1.
 */
export async function expectPage(page: Page, name: string | RegExp, options: { errors?: boolean } = {}): Promise<void> {
  const errors = options.errors ?? false;
  // A page drawn again under the same title (a form with new errors) has a new h1 element.
  await page.waitForFunction(() => {
    const seen = (window as unknown as { seenHeading?: Element }).seenHeading;
    const current = document.querySelector("main h1");
    return current !== null && current !== seen;
  });
  if (typeof name === "string") {
    const want = title(name, errors);
    await page.waitForFunction((t) => document.title === t, want).catch(async () => {
      assert.fail(`expected the title ${JSON.stringify(want)}, got ${JSON.stringify(await page.title())} at ${page.url()}`);
    });
  } else {
    const pattern = new RegExp(`^${errors ? "Error: " : ""}${name.source} - ${DEFAULT_SERVICE_NAME} - GOV\\.UK$`);
    await page.waitForFunction((p) => new RegExp(p).test(document.title), pattern.source).catch(async () => {
      assert.fail(`expected a title like ${pattern}, got ${JSON.stringify(await page.title())} at ${page.url()}`);
    });
  }
  const focused = await page.evaluate(() => {
    const el = document.activeElement;
    if (!el) return "";
    if (el.matches(".govuk-error-summary")) return "error summary";
    return el.tagName.toLowerCase();
  });
  assert.equal(focused, errors ? "error summary" : "h1", `focus after drawing ${String(name)}`);
  await page.evaluate(() => {
    (window as unknown as { seenHeading?: Element | null }).seenHeading = document.querySelector("main h1");
  });
}

export async function h1(page: Page): Promise<string> {
  return ((await page.locator("main h1").textContent()) ?? "").trim();
}

/** The texts of the error summary's items, in order. */
export async function errorSummaryItems(page: Page): Promise<string[]> {
  return (await page.locator(".govuk-error-summary__list li").allTextContents()).map((t) => t.trim());
}

/** The summary list's rows as they read: key, value, and the Change link's text (null when none). */
export async function summaryRows(page: Page): Promise<[string, string, string | null][]> {
  return page.locator(".govuk-summary-list__row").evaluateAll((rows) =>
    rows.map((r): [string, string, string | null] => [
      r.querySelector("dt")?.textContent?.trim() ?? "",
      r.querySelector(".govuk-summary-list__value")?.textContent?.trim() ?? "",
      r.querySelector(".govuk-summary-list__actions a")?.textContent?.trim() ?? null,
    ]),
  );
}

/** The summary list's row for `key` (see `summaryRows`), if there is one. */
export async function summaryRow(page: Page, key: string): Promise<[string, string, string | null] | undefined> {
  return (await summaryRows(page)).find(([k]) => k === key);
}

/** The lines of the summary list's value for `key`: its list's items, or its text when it has no list. */
export async function summaryLines(page: Page, key: string): Promise<string[]> {
  return page.locator(".govuk-summary-list__row").evaluateAll((rows, wanted) => {
    const row = rows.find((r) => r.querySelector("dt")?.textContent?.trim() === wanted);
    const value = row?.querySelector(".govuk-summary-list__value");
    if (!value) return [];
    const items = [...value.querySelectorAll("li")];
    return items.length ? items.map((li) => li.textContent?.trim() ?? "") : [value.textContent?.trim() ?? ""];
  }, key);
}

/** The checkboxes of the question `legend`, each as its label and whether it is ticked. */
export async function checkboxesOffered(page: Page, legend: string): Promise<[string, boolean][]> {
  return page.getByRole("group", { name: legend }).locator(".govuk-checkboxes__item").evaluateAll((items) =>
    items.map((item): [string, boolean] => [
      item.querySelector("label")?.textContent?.trim() ?? "",
      (item.querySelector("input") as HTMLInputElement | null)?.checked ?? false,
    ]),
  );
}

/** A table's body rows as they read, cell by cell (the row's header first). */
export async function tableRows(page: Page): Promise<string[][]> {
  return page.locator("tbody tr").evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent?.trim() ?? "")));
}

/** The service navigation's current item. */
export async function currentNav(page: Page): Promise<string> {
  return ((await page.locator(".govuk-service-navigation__item--active").textContent()) ?? "").trim();
}

/** The roles the role question offers, each as its label and hint. */
export async function rolesOffered(page: Page): Promise<[string, string][]> {
  return page.getByRole("group", { name: "What is the user's role?" }).locator(".govuk-radios__item").evaluateAll((items) =>
    items.map((item): [string, string] => [
      item.querySelector(".govuk-radios__label")?.textContent?.trim() ?? "",
      item.querySelector(".govuk-radios__hint")?.textContent?.trim() ?? "",
    ]),
  );
}

/** The page a support user gets where their role does not let them go, with its paragraphs. */
export async function expectNoPermission(page: Page, paragraphs: string[]): Promise<void> {
  await expectPage(page, "You do not have permission to view this page");
  assert.equal(await h1(page), "You do not have permission to view this page");
  assert.deepEqual((await page.locator("main p.govuk-body").allTextContents()).map((t) => t.trim()), paragraphs);
}

export async function bannerHeading(page: Page): Promise<string> {
  return ((await page.locator(".govuk-notification-banner--success .govuk-notification-banner__heading").textContent()) ?? "").trim();
}

/** From any page that asks to sign in: signs in as a persona with its button. */
export async function signInWithPersona(page: Page, name: string): Promise<void> {
  await page.waitForFunction((t) => document.title === t, title("Sign in"));
  await page.getByRole("button", { name: `Sign in as ${name}` }).click();
}

/** Opens `path` in a fresh page and signs in as Grace Hopper (an editor), or `persona`, landing on `path`. */
export async function signedInAt(page: Page, path: string, persona = "Grace Hopper"): Promise<void> {
  await page.goto(path);
  await signInWithPersona(page, persona);
  await page.waitForURL((url) => url.pathname + url.search === path);
}

/** A support user's token, for changing things behind the page's back. */
export async function tokenFor(api: Api, email: string): Promise<string> {
  const response = await fetch(`${api.baseUrl}/api/v1/auth/dev/sign-in`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email }),
  });
  assert.equal(response.status, 200, `dev sign-in as ${email}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

export async function apiCall<T>(api: Api, token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(`${api.baseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }), ...headers },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

export async function findUser(api: Api, token: string, email: string): Promise<User> {
  const { body } = await apiCall<{ items: User[] }>(api, token, "GET", `/api/v1/users?q=${encodeURIComponent(email)}`);
  const user = body.items.find((u) => u.email === email);
  assert.ok(user, `no user ${email}`);
  return user;
}

/** Adds a support user (a viewer unless `role` says otherwise), or an API user when `role` is null. */
export async function createUser(api: Api, token: string, first: string, last: string, role: string | null = "viewer"): Promise<User> {
  const email = `${first}.${last}.${Date.now()}`.toLowerCase().replace(/[^a-z0-9.]/g, "") + "@education.gov.uk";
  const kind = role === null ? { api_user: true } : { api_user: false, support_role: role };
  const { status, body } = await apiCall<User>(api, token, "POST", "/api/v1/users", { first_name: first, last_name: last, email, ...kind });
  assert.equal(status, 201, `create ${email}: ${JSON.stringify(body)}`);
  return body;
}

export async function usersTotal(api: Api, token: string): Promise<number> {
  return (await apiCall<{ total: number }>(api, token, "GET", "/api/v1/users?per_page=1")).body.total;
}

/** Presses Tab until the focused element satisfies `check` (given its id and text), or fails. */
export async function tabTo(page: Page, description: string, check: (el: { id: string; text: string; tag: string; value: string }) => boolean): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press("Tab");
    const el = await page.evaluate(() => {
      const a = document.activeElement as HTMLElement | null;
      return { id: a?.id ?? "", text: (a?.textContent ?? "").trim(), tag: a?.tagName.toLowerCase() ?? "", value: (a as HTMLInputElement | null)?.value ?? "" };
    });
    if (check(el)) return;
  }
  assert.fail(`could not reach ${description} with the Tab key`);
}

export interface ShownEntry {
  title: string;
  byline: string;
  /** `User: …` on the Activity page; "" on a user's own timeline. */
  subject: string;
  changes: string[];
}

/** The activity timeline on the page, as it reads, newest first. */
export async function timelineEntries(page: Page): Promise<ShownEntry[]> {
  return page.locator(".app-timeline__item").evaluateAll((items) =>
    items.map((item) => ({
      title: item.querySelector(".app-timeline__title")?.textContent?.trim() ?? "",
      byline: item.querySelector(".app-timeline__byline")?.textContent?.trim() ?? "",
      subject: item.querySelector(".app-timeline__subject")?.textContent?.trim() ?? "",
      changes: [...item.querySelectorAll(".app-timeline__changes li")].map((li) => li.textContent?.trim() ?? ""),
    })),
  );
}

export interface ApiActivityEntry {
  id: string;
  occurred_at: string;
  action: string;
  actor: { id: string; name: string } | null;
  details: Record<string, unknown> | null;
}

/**
 * A user's activity from the API, newest first, once `ready` holds for it
 * (emails are sent by a background worker, so their entries come a moment later).
 */
export async function activityOf(api: Api, token: string, userId: string, ready: (entries: ApiActivityEntry[]) => boolean = () => true): Promise<ApiActivityEntry[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { status, body } = await apiCall<{ items: ApiActivityEntry[] }>(api, token, "GET", `/api/v1/users/${userId}/activity?per_page=100`);
    assert.equal(status, 200, `activity of ${userId}`);
    if (ready(body.items)) return body.items;
    if (Date.now() > deadline) assert.fail(`the activity of ${userId} never got ready: ${JSON.stringify(body.items.map((e) => e.action))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const countOf = (action: string) => (entries: ApiActivityEntry[]): number => entries.filter((e) => e.action === action).length;
