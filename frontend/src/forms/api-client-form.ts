/**
 * The API client form, shared by ‘Add API client’ and ‘Change API client’:
 * the questions (each field's id is its JSON name, so error links land on
 * it), the answers as typed, and the bodies they make.
 */
import type { ApiClient, ApiClientScope, CreateApiClient, UpdateApiClient, User } from "../api/client";
import { checkboxes, dateInput, textarea, textInput } from "../components/fields";
import { html, type SafeHtml } from "../html";
import { DEFAULT_SCOPES, SCOPES, isScope, type ScopeOption } from "../scopes";
import { messageFor, type FieldErrors } from "./errors";

export type ClientField = "owner_id" | "name" | "expires_on" | "scopes" | "allowed_ips";

/** The answers as typed. */
export interface ClientAnswers {
  /** The owner's email address (asked as `owner_id`); blank for the signed-in user. */
  owner?: string;
  name?: string;
  day?: string;
  month?: string;
  year?: string;
  /** The scopes ticked. */
  scopes?: ApiClientScope[];
  /** The allowed IP addresses as typed, one a line. */
  allowed_ips?: string;
}

/** The API's sentence for an owner who cannot be one, shown too when no user has the address typed. */
export const SELECT_CLIENT_OWNER = "Select a user who can own this API client";

/** The add form's answers before anything is typed: the default scopes ticked. */
export function newClientAnswers(): ClientAnswers {
  return { scopes: [...DEFAULT_SCOPES] };
}

/** The change form's answers to start from: the client as it is. */
export function answersOfClient(client: Pick<ApiClient, "scopes" | "allowed_ips">): ClientAnswers {
  return { scopes: [...client.scopes], allowed_ips: client.allowed_ips.join("\n") };
}

/** One question, `offered` being the scopes the scopes question offers. */
function field(name: ClientField, answers: ClientAnswers, errors: FieldErrors, offered: readonly ScopeOption[]): SafeHtml {
  const error = messageFor(errors, name);
  switch (name) {
    case "owner_id":
      return textInput({
        name,
        label: "Who will own this API client?",
        hint: "Enter the email address of the user who will own it, like name@education.gov.uk. Leave it blank if you will own it.",
        value: answers.owner,
        error,
        type: "email",
        width: "govuk-input--width-30",
        autocomplete: "off",
        spellcheck: false,
      });
    case "name":
      return textInput({
        name,
        label: "Client name",
        hint: "So you can tell your clients apart, for example the system that will use it",
        value: answers.name,
        error,
        width: "govuk-input--width-30",
        autocomplete: "off",
      });
    case "expires_on":
      return dateInput({
        name,
        legend: "Expiry date",
        hint: "The token stops working on this day. Leave it blank for 6 months from today; it can be at most 12 months away, unless the service is set up otherwise. For example, 27 3 2026",
        value: answers,
        error,
      });
    case "scopes":
      return checkboxes({ name, legend: "What can this API client do?", hint: "Select all that apply.", items: offered, values: answers.scopes, error });
    case "allowed_ips":
      return textarea({
        name,
        label: "Which IP addresses can use this API client?",
        hint: "One address or range a line, like 192.0.2.10 or 192.0.2.0/24. Leave it empty to allow any address.",
        value: answers.allowed_ips,
        error,
        spellcheck: false,
      });
  }
}

/** The questions for `fields`, in that order. */
export function clientFields(fields: readonly ClientField[], answers: ClientAnswers, errors: FieldErrors, offered: readonly ScopeOption[]): SafeHtml {
  return html`${fields.map((name) => field(name, answers, errors, offered))}`;
}

/** Reads the answers from a submitted form's entries: the fields it has (none ticked is an answer for the scopes). */
export function readClientAnswers(entries: FormData): ClientAnswers {
  const text = (name: string): string | undefined => {
    const value = entries.get(name);
    return typeof value === "string" ? value : undefined;
  };
  return {
    owner: text("owner_id"),
    name: text("name"),
    day: text("expires_on-day"),
    month: text("expires_on-month"),
    year: text("expires_on-year"),
    scopes: entries.getAll("scopes").filter(isScope),
    allowed_ips: text("allowed_ips"),
  };
}

/** The allowed IP addresses textarea as a list: a line each, trimmed, blank lines dropped. */
export function allowedIpsOf(text: string): string[] {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

/** The user among `users` with the address typed (ignoring case), if there is one. */
export function userWithEmail<U extends Pick<User, "email">>(users: readonly U[], email: string): U | undefined {
  const wanted = email.trim().toLowerCase();
  return users.find((user) => user.email.toLowerCase() === wanted);
}

/**
 * The body of `create_api_client`: the date as `YYYY-MM-DD` when any part of
 * it was given (left for the API to judge), and left out when none was, so
 * the API picks its default; the scopes and allowed IP addresses when
 * answered; `owner_id` only for someone other than the signed-in user.
 */
export function createClientBody(answers: ClientAnswers, ownerId?: string): CreateApiClient {
  const [day, month, year] = [answers.day, answers.month, answers.year].map((part) => (part ?? "").trim());
  const body: CreateApiClient = { name: answers.name ?? "" };
  if (day || month || year) {
    const two = (part: string) => (/^\d$/.test(part) ? `0${part}` : part);
    body.expires_on = `${year}-${two(month ?? "")}-${two(day ?? "")}`;
  }
  if (ownerId) body.owner_id = ownerId;
  if (answers.scopes) body.scopes = answers.scopes;
  if (answers.allowed_ips !== undefined) body.allowed_ips = allowedIpsOf(answers.allowed_ips);
  return body;
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((item) => b.includes(item));

/**
 * The body of `update_api_client`: the scopes and allowed IP addresses that
 * differ from the client's (empty when nothing does). A scope the signed-in
 * user is not offered (an editor, `scim`) stays as it is.
 */
export function changeClientBody(client: Pick<ApiClient, "scopes" | "allowed_ips">, answers: ClientAnswers, offered: readonly ScopeOption[]): UpdateApiClient {
  const body: UpdateApiClient = {};
  const ticked = answers.scopes ?? [];
  const kept = client.scopes.filter((scope) => !offered.some((option) => option.value === scope));
  const scopes = SCOPES.map((option) => option.value).filter((scope) => ticked.includes(scope) || kept.includes(scope));
  if (!sameSet(scopes, client.scopes)) body.scopes = scopes;
  const ips = allowedIpsOf(answers.allowed_ips ?? "");
  if (ips.join("\n") !== client.allowed_ips.join("\n")) body.allowed_ips = ips;
  return body;
}
