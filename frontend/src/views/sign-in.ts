/** Sign in: DfE Sign-in when configured, and development personas when dev sign-in is on. */
import { api, unexpected } from "../api/client";
import { textInput } from "../components/fields";
import { button, buttonLink, heading, insetText, twoThirds } from "../components/govuk";
import { messageFor, type FieldErrors } from "../forms/errors";
import { FormFlow, type Submission } from "../forms/form-page";
import { html } from "../html";
import { redirect, type Page, type Redirect } from "../page";
import { paths, safeReturnTo } from "../paths";
import { navigate, type Visit } from "../router";
import { authConfig, forget, signedIn, signedInUser, signOut } from "../session";
import { notAuthorisedPage, type NotAuthorisedReason } from "./errors";

/** The seeded development accounts, each showing one kind of account. */
const PERSONAS = [
  { name: "Ada Lovelace", email: "ada.lovelace@education.gov.uk", kind: "Administrator" },
  { name: "Grace Hopper", email: "grace.hopper@education.gov.uk", kind: "Editor" },
  { name: "Dorothy Vaughan", email: "dorothy.vaughan@education.gov.uk", kind: "Viewer" },
  { name: "Alan Turing", email: "alan.turing@education.gov.uk", kind: "Editor who has signed in before" },
  { name: "Katherine Johnson", email: "katherine.johnson@education.gov.uk", kind: "API user" },
  { name: "Charles Babbage", email: "charles.babbage@education.gov.uk", kind: "Inactive viewer" },
] as const;

let refusal: NotAuthorisedReason;
const flow = new FormFlow();

export function signInView(visit: Visit): Page | Redirect {
  const returnTo = safeReturnTo(visit.query.get("return_to"));
  const user = signedInUser();
  if (user && !user.api_user) return redirect(returnTo);
  return signInPage(returnTo, [], "");
}

function signInPage(returnTo: string, errors: FieldErrors, typed: string): Page {
  const config = authConfig();
  const oidc = config.oidc
    ? html`<p class="govuk-body">Sign in with the DfE Sign-in account that uses your Department for Education email address.</p>
  ${buttonLink("Sign in with DfE Sign-in", paths.oidcStart(returnTo), { start: true })}`
    : "";
  const personas = config.dev_sign_in
    ? html`<h2 class="govuk-heading-m">Development personas</h2>
  ${twoThirds(insetText("Development sign-in is on. It lets you sign in as any active account without a password, so it is never turned on in production."))}
  <form method="post" novalidate data-form="personas">
    <table class="govuk-table">
      <caption class="govuk-table__caption govuk-table__caption--s">Sign in as a seeded account</caption>
      <thead class="govuk-table__head">
        <tr class="govuk-table__row">
          <th scope="col" class="govuk-table__header">Name</th>
          <th scope="col" class="govuk-table__header">Account</th>
          <th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">Action</span></th>
        </tr>
      </thead>
      <tbody class="govuk-table__body">
        ${PERSONAS.map(
          (p) => html`<tr class="govuk-table__row">
          <td class="govuk-table__cell">${p.name}<br><span class="govuk-hint govuk-!-font-size-16">${p.email}</span></td>
          <td class="govuk-table__cell">${p.kind}</td>
          <td class="govuk-table__cell"><button type="submit" name="email" value="${p.email}" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" data-module="govuk-button">Sign in<span class="govuk-visually-hidden"> as ${p.name}</span></button></td>
        </tr>`,
        )}
      </tbody>
    </table>
  </form>
  <form method="post" novalidate data-form="email" class="govuk-!-margin-top-8">
    ${textInput({ name: "email", label: "Or sign in with an email address", value: typed, error: messageFor(errors, "email"), type: "email", width: "govuk-input--width-30", autocomplete: "email", spellcheck: false })}
    ${button("Sign in")}
  </form>`
    : "";
  const none = !config.oidc && !config.dev_sign_in
    ? html`<p class="govuk-body">Signing in is not available at the moment. Try again later.</p>`
    : "";
  return flow.page({
    title: "Sign in",
    errors,
    fields: ["email"],
    content: html`${oidc}${none}`,
    after: personas,
    send: (submission) => devSignIn(returnTo, submission),
  });
}

/** Either form: a persona's button, or the email address typed. */
async function devSignIn(returnTo: string, { text, show }: Submission): Promise<void> {
  const email = text("email");
  const { data, error, response } = await api.POST("/api/v1/auth/dev/sign-in", { body: { email } });
  if (data) {
    signedIn(data);
    if (data.user.api_user) {
      // API users have no business here: end the session the cookie started.
      await signOut();
      refusal = "api";
      navigate(paths.notAuthorised);
    } else {
      navigate(returnTo);
    }
  } else if (response.status === 422 && error?.errors) {
    show(signInPage(returnTo, error.errors, email));
  } else if (response.status === 401) {
    forget();
    refusal = "unknown";
    navigate(paths.notAuthorised);
  } else {
    throw unexpected(response, error);
  }
}

export function notAuthorisedView(): Page {
  return notAuthorisedPage(refusal);
}

export async function signOutView(): Promise<Redirect> {
  await signOut();
  return redirect(paths.signedOut);
}

export function signedOutView(): Page {
  return {
    title: "You have signed out",
    content: twoThirds(html`${heading("You have signed out")}
  <p class="govuk-body">You need to sign in again to manage users.</p>
  ${buttonLink("Sign in", paths.signIn())}`),
  };
}
