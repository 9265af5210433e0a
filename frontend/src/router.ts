/**
 * History-API routing. Links and back/forward are handled here; each route's
 * view loads its data and returns a `Page`, which is drawn into `main`, then
 * the title is set and focus moves to the error summary or the `h1`.
 */
import { initAll } from "govuk-frontend";
import { SignInRequired } from "./api/client";
import { html, setHtml, type SafeHtml } from "./html";
import { redirect, Redirect, type Page } from "./page";
import { isServerPath, paths } from "./paths";
import { canMakeChanges } from "./roles";
import { serviceName, signedInUser } from "./session";
import { pageTitle } from "./titles";
import { NotAuthorised, NotFound, noPermissionPage, notAuthorisedPage, notFoundPage, problemPage } from "./views/errors";

export interface Visit {
  /** Path parameters by name (`:id` → `params.id`). */
  params: Record<string, string>;
  query: URLSearchParams;
  /** pathname + search, for `return_to`. */
  url: string;
}

type View = (visit: Visit) => Promise<Page | Redirect> | Page | Redirect;

interface Route {
  segments: string[];
  view: View;
  /**
   * Who may see it: anyone, signed-in support users only, or only those of
   * them whose role lets them make changes (editors and administrators).
   */
  access: "public" | "support" | "editor";
}

const routes: Route[] = [];

export function route(pattern: string, access: Route["access"], view: View): void {
  routes.push({ segments: pattern.split("/").filter(Boolean), view, access });
}

function match(pathname: string): { route: Route; params: Record<string, string> } | null {
  const parts = pathname.split("/").filter(Boolean);
  for (const candidate of routes) {
    if (candidate.segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const ok = candidate.segments.every((segment, i) => {
      const part = parts[i] ?? "";
      if (segment.startsWith(":")) {
        try {
          params[segment.slice(1)] = decodeURIComponent(part);
        } catch {
          return false;
        }
        return true;
      }
      return segment === part;
    });
    if (ok) return { route: candidate, params };
  }
  return null;
}

let visitCount = 0;
let shownUrl = "";

/** A number for the visit now on screen; a form handler checks it is still current before drawing. */
export function currentVisit(): number {
  return visitCount;
}

export function navigate(url: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  void load();
}

/** Runs the view for the current address and draws its page. */
async function load(): Promise<void> {
  const visit = ++visitCount;
  const url = location.pathname + location.search;
  shownUrl = url;
  const found = match(location.pathname);
  let result: Page | Redirect;
  try {
    if (!found) {
      result = notFoundPage();
    } else if (found.route.access !== "public" && !signedInUser()) {
      result = redirect(paths.signIn(url));
    } else if (found.route.access !== "public" && signedInUser()?.api_user) {
      result = notAuthorisedPage("api");
    } else if (found.route.access === "editor" && !canMakeChanges(signedInUser())) {
      result = noPermissionPage(undefined, area(url));
    } else {
      result = await found.route.view({ params: found.params, query: new URLSearchParams(location.search), url });
    }
  } catch (error) {
    result = pageForError(error, url);
  }
  if (visit !== visitCount) return; // the person has moved on meanwhile
  if (result instanceof Redirect) {
    navigate(result.to, { replace: true });
    return;
  }
  draw(result);
}

/** The part of the service an address is in, for the navigation of a page that refuses it. */
function area(url: string): "users" | "api-clients" {
  return url.startsWith(paths.apiClients) ? "api-clients" : "users";
}

function pageForError(error: unknown, url: string): Page | Redirect {
  if (error instanceof SignInRequired) return redirect(paths.signIn(url));
  if (error instanceof NotFound) return notFoundPage();
  // A support user refused by their role (changed since they signed in, say); else an API user.
  if (error instanceof NotAuthorised) {
    return signedInUser()?.api_user === false ? noPermissionPage(error.detail, area(url)) : notAuthorisedPage("api");
  }
  console.error(error);
  return problemPage(error);
}

/**
 * Draws a page again for the same visit (a form's answer): ignored when the
 * person has gone elsewhere since `visit`.
 */
export function show(page: Page | Redirect, visit: number): void {
  if (visit !== visitCount) return;
  if (page instanceof Redirect) navigate(page.to, { replace: false });
  else draw(page);
}

/** Turns a failure in a form handler into the right page. */
export function fail(error: unknown, visit: number): void {
  show(pageForError(error, shownUrl), visit);
}

function element(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (!found) throw new Error(`The page has no #${id}`);
  return found;
}

function navigation(current: Page["nav"]): SafeHtml {
  const user = signedInUser();
  const items = user && !user.api_user
    ? [
        { href: paths.users, text: "Users", current: current === "users" },
        { href: paths.apiClients, text: "API clients", current: current === "api-clients" },
        { href: paths.activity, text: "Activity", current: current === "activity" },
        { href: paths.account, text: "Your account", current: current === "account" },
        { href: paths.signOut, text: "Sign out", current: false },
      ]
    : [];
  return html`<section aria-label="Service information" class="govuk-service-navigation" data-module="govuk-service-navigation">
  <div class="govuk-width-container">
    <div class="govuk-service-navigation__container">
      <span class="govuk-service-navigation__service-name">
        <a href="${paths.users}" class="govuk-service-navigation__link">${serviceName()}</a>
      </span>
      ${items.length
        ? html`<nav aria-label="Menu" class="govuk-service-navigation__wrapper">
        <button type="button" class="govuk-service-navigation__toggle govuk-js-service-navigation-toggle" aria-controls="navigation" hidden aria-hidden="true">Menu</button>
        <ul class="govuk-service-navigation__list" id="navigation">
          ${items.map((item) =>
            item.current
              ? html`<li class="govuk-service-navigation__item govuk-service-navigation__item--active">
            <a class="govuk-service-navigation__link" href="${item.href}" aria-current="true"><strong class="govuk-service-navigation__active-fallback">${item.text}</strong></a>
          </li>`
              : html`<li class="govuk-service-navigation__item">
            <a class="govuk-service-navigation__link" href="${item.href}">${item.text}</a>
          </li>`,
          )}
        </ul>
      </nav>`
        : ""}
    </div>
  </div>
</section>`;
}

/** Focus as GOV.UK Frontend does it: a temporary tabindex, removed on blur. */
export function focus(target: HTMLElement): void {
  if (!target.hasAttribute("tabindex")) {
    target.setAttribute("tabindex", "-1");
    target.addEventListener("blur", () => target.removeAttribute("tabindex"), { once: true });
  }
  target.focus();
}

function draw(page: Page): void {
  const nav = element("service-navigation");
  const main = element("main-content");
  setHtml(nav, navigation(page.nav));
  // GOV.UK's template puts the back link just before `main`; it goes at the
  // top of `main` instead so that all content sits in a landmark (axe's
  // "region" rule), with main's top padding moved below it.
  main.classList.toggle("govuk-!-padding-top-0", Boolean(page.backLink));
  setHtml(
    main,
    html`${page.backLink ? html`<a href="${page.backLink}" class="govuk-back-link govuk-!-margin-bottom-7">Back</a>` : ""}${page.content}`,
  );
  const options = { errorSummary: { disableAutoFocus: true }, notificationBanner: { disableAutoFocus: true } };
  initAll({ ...options, scope: nav });
  initAll({ ...options, scope: main });
  page.mount?.(main);
  const errorSummary = main.querySelector<HTMLElement>(".govuk-error-summary");
  document.title = pageTitle(page.title, serviceName(), errorSummary !== null);
  window.scrollTo(0, 0);
  const target = errorSummary ?? main.querySelector<HTMLElement>("h1");
  if (target) focus(target);
}

function onClick(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target instanceof Element ? event.target.closest("a") : null;
  if (!link || !link.href || link.target || link.hasAttribute("download")) return;
  const url = new URL(link.href);
  if (url.origin !== location.origin || isServerPath(url.pathname)) return;
  // In-page links (the skip link, error summary links) keep their own behaviour.
  if (url.pathname === location.pathname && url.search === location.search && url.hash) return;
  event.preventDefault();
  navigate(url.pathname + url.search);
}

function onPopState(): void {
  // A change of #fragment alone (the skip link) is not a new page.
  if (location.pathname + location.search === shownUrl) return;
  void load();
}

export function startRouter(): void {
  // The skip link is part of the static page, so it is set up once here.
  initAll({ scope: document.body });
  document.addEventListener("click", onClick);
  window.addEventListener("popstate", onPopState);
  void load();
}

/** Shows a page without routing (start-up failures). */
export function drawAlone(page: Page): void {
  initAll({ scope: document.body });
  draw(page);
}
