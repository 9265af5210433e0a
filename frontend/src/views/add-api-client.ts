/** Add API client: a name and an expiry date; the token is shown on the next page, once. */
import { api, unexpected } from "../api/client";
import { dateInput, textInput } from "../components/fields";
import { button } from "../components/govuk";
import { createClientBody, type ClientAnswers } from "../forms/api-client-form";
import { messageFor, type FieldErrors } from "../forms/errors";
import { FormFlow, type Submission } from "../forms/form-page";
import { flash } from "../flash";
import { html } from "../html";
import { holdToken } from "../one-time-token";
import type { Page } from "../page";
import { paths } from "../paths";
import { navigate } from "../router";
import { apiClientsListUrl } from "./api-clients";

let answers: ClientAnswers = {};
const flow = new FormFlow();

export function addApiClientView(): Page {
  answers = {};
  return addClientForm([]);
}

function addClientForm(errors: FieldErrors): Page {
  return flow.page({
    title: "Add API client",
    nav: "api-clients",
    backLink: apiClientsListUrl(),
    errors,
    fields: ["name", "expires_on"],
    content: html`<form method="post" novalidate data-form="add-api-client">
    ${textInput({ name: "name", label: "Client name", hint: "So you can tell your clients apart, for example the system that will use it", value: answers.name, error: messageFor(errors, "name"), width: "govuk-input--width-30", autocomplete: "off" })}
    ${dateInput({ name: "expires_on", legend: "Expiry date", hint: "The token stops working on this day. Leave it blank for 6 months from today; it can be at most 12 months away. For example, 27 3 2026", value: answers, error: messageFor(errors, "expires_on") })}
    ${button("Add API client")}
  </form>`,
    send: save,
  });
}

async function save({ text, show }: Submission): Promise<void> {
  answers = { name: text("name"), day: text("expires_on-day"), month: text("expires_on-month"), year: text("expires_on-year") };
  const { data, error, response } = await api.POST("/api/v1/api-clients", { body: createClientBody(answers) });
  if (response.status === 201 && data) {
    holdToken(data.id, data.token);
    flash(paths.apiClient(data.id), "API client added", `${data.name} has been added. Copy its token now.`);
    answers = {};
    navigate(paths.apiClient(data.id));
  } else if (response.status === 422 && error?.errors) {
    show(addClientForm(error.errors));
  } else {
    throw unexpected(response, error);
  }
}
