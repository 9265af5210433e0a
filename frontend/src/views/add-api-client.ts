/**
 * Add API client: its owner (the signed-in user unless another user's email
 * address is given), name, expiry date, scopes and allowed IP addresses; the
 * token is shown on the next page, once.
 */
import { api, unexpected } from "../api/client";
import { button } from "../components/govuk";
import { SELECT_CLIENT_OWNER, clientFields, createClientBody, newClientAnswers, readClientAnswers, userWithEmail, type ClientAnswers } from "../forms/api-client-form";
import type { FieldErrors } from "../forms/errors";
import { FormFlow, type Submission } from "../forms/form-page";
import { flash } from "../flash";
import { html } from "../html";
import { holdToken } from "../one-time-token";
import type { Page } from "../page";
import { paths } from "../paths";
import { navigate } from "../router";
import { scopesToOffer } from "../scopes";
import { signedInUser } from "../session";
import { apiClientsListUrl } from "./api-clients";

const ADD_FIELDS = ["owner_id", "name", "expires_on", "scopes", "allowed_ips"] as const;

let answers: ClientAnswers = newClientAnswers();
const flow = new FormFlow();

export function addApiClientView(): Page {
  answers = newClientAnswers();
  return addClientForm([]);
}

function addClientForm(errors: FieldErrors): Page {
  return flow.page({
    title: "Add API client",
    nav: "api-clients",
    backLink: apiClientsListUrl(),
    errors,
    fields: ADD_FIELDS,
    content: html`<form method="post" novalidate data-form="add-api-client">
    ${clientFields(ADD_FIELDS, answers, errors, scopesToOffer(signedInUser()))}
    ${button("Add API client")}
  </form>`,
    send: save,
  });
}

/**
 * The id of the user with the email address typed, or `undefined` for the
 * signed-in user (nothing typed, or their own address); `null` when no user
 * has it (the list's search matches the start of addresses, so the exact
 * one is picked out of its first page).
 */
async function chosenOwner(email: string): Promise<string | undefined | null> {
  if (!email.trim()) return undefined;
  const { data, error, response } = await api.GET("/api/v1/users", { params: { query: { q: email.trim(), per_page: 100 } } });
  if (!data) throw unexpected(response, error);
  const owner = userWithEmail(data.items, email);
  if (!owner) return null;
  return owner.id === signedInUser()?.id ? undefined : owner.id;
}

async function save({ entries, show }: Submission): Promise<void> {
  answers = readClientAnswers(entries);
  const ownerId = await chosenOwner(answers.owner ?? "");
  if (ownerId === null) {
    show(addClientForm([{ field: "owner_id", message: SELECT_CLIENT_OWNER }]));
    return;
  }
  const { data, error, response } = await api.POST("/api/v1/api-clients", { body: createClientBody(answers, ownerId) });
  if (response.status === 201 && data) {
    holdToken(data.id, data.token);
    flash(paths.apiClient(data.id), "API client added", `${data.name} has been added. Copy its token now.`);
    answers = newClientAnswers();
    navigate(paths.apiClient(data.id));
  } else if (response.status === 422 && error?.errors) {
    show(addClientForm(error.errors));
  } else {
    throw unexpected(response, error);
  }
}
