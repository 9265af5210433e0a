/** The pages for things going wrong. */
import { ServiceProblem } from "../api/client";
import { heading, twoThirds } from "../components/govuk";
import { html } from "../html";
import type { Page } from "../page";
import { paths } from "../paths";
import { NO_PERMISSION } from "../roles";
import { serviceName } from "../session";

export { NotAuthorised, NotFound } from "../api/client";

export function notFoundPage(): Page {
  return {
    title: "Page not found",
    content: twoThirds(html`${heading("Page not found")}
  <p class="govuk-body">If you typed the web address, check it is correct.</p>
  <p class="govuk-body">If you pasted the web address, check you copied the entire address.</p>
  <p class="govuk-body">If the address is correct, the page may have been removed – for example, the user may have been deleted. <a class="govuk-link" href="${paths.users}">Go to the list of users</a>.</p>`),
  };
}

export function problemPage(error?: unknown): Page {
  const requestId = error instanceof ServiceProblem ? error.problem?.request_id : undefined;
  return {
    title: "Sorry, there is a problem with the service",
    content: twoThirds(html`${heading("Sorry, there is a problem with the service")}
  <p class="govuk-body">Try again later.</p>
  <p class="govuk-body">Nothing you had not already saved has been saved.</p>
  ${requestId
    ? html`<p class="govuk-body">If you report this problem, quote this reference: <code>${requestId}</code>.</p>`
    : ""}`),
  };
}

/** Why the account may not use these pages. */
export type NotAuthorisedReason = "api" | "unknown" | undefined;

export function notAuthorisedPage(reason: NotAuthorisedReason): Page {
  const api = html`<p class="govuk-body">API users cannot use this website. Your systems use the ${serviceName()} API instead: you can read how it works, and try it, in the <a class="govuk-link" href="${paths.swaggerUi}">API documentation (Swagger UI)</a>.</p>`;
  const unknown = html`<p class="govuk-body">Only support users who have been added to ${serviceName()} can use it. If you think you should have access, or your account has been deactivated, ask a support user to add or reactivate your account.</p>`;
  return {
    title: "Your account is not authorised",
    content: twoThirds(html`${heading("Your account is not authorised")}
  <p class="govuk-body">You cannot use this website with the account you signed in with.</p>
  ${reason === "api" ? api : reason === "unknown" ? unknown : html`${unknown}${api}`}
  <p class="govuk-body"><a class="govuk-link" href="${paths.signIn()}">Sign in with a different account</a></p>`),
  };
}

/**
 * A signed-in support user whose role does not allow the page: a viewer on a
 * page for making changes, or an editor on one for changing an
 * administrator. It says what the API would say, with its reason when the
 * API gives a more particular one (`detail`).
 */
export function noPermissionPage(detail?: string, nav: "users" | "api-clients" = "users"): Page {
  const back = nav === "api-clients" ? { href: paths.apiClients, text: "Go to the list of API clients" } : { href: paths.users, text: "Go to the list of users" };
  return {
    title: "You do not have permission to view this page",
    nav,
    content: twoThirds(html`${heading("You do not have permission to view this page")}
  <p class="govuk-body">${NO_PERMISSION}</p>
  ${detail && detail !== NO_PERMISSION ? html`<p class="govuk-body">${detail}</p>` : ""}
  <p class="govuk-body"><a class="govuk-link" href="${back.href}">${back.text}</a></p>`),
  };
}
