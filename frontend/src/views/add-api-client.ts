/** Add API client: a name and an expiry date; the token is shown on the next page, once. */
import { api, unexpected } from "../api/client";
import { dateInput, textInput } from "../components/fields";
import { button, errorSummary, heading } from "../components/govuk";
import { createClientBody, type ClientAnswers } from "../forms/api-client-form";
import { messageFor, summaryItems, type FieldErrors } from "../forms/errors";
import { flash } from "../flash";
import { html } from "../html";
import { holdToken } from "../one-time-token";
import type { Page } from "../page";
import { paths } from "../paths";
import { currentVisit, fail, navigate, show } from "../router";
import { apiClientsListUrl } from "./api-clients";

let answers: ClientAnswers = {};

export function addApiClientView(): Page {
  answers = {};
  return addClientForm([]);
}

function addClientForm(errors: FieldErrors): Page {
  return {
    title: "Add API client",
    nav: "api-clients",
    backLink: apiClientsListUrl(),
    content: html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
  ${errors.length ? errorSummary(summaryItems(errors, ["name", "expires_on"])) : ""}
  ${heading("Add API client")}
  <form method="post" novalidate data-form="add-api-client">
    ${textInput({ name: "name", label: "Client name", hint: "So you can tell your clients apart, for example the system that will use it", value: answers.name, error: messageFor(errors, "name"), width: "govuk-input--width-30", autocomplete: "off" })}
    ${dateInput({ name: "expires_on", legend: "Expiry date", hint: "The token stops working on this day. Leave it blank for 6 months from today; it can be at most 12 months away. For example, 27 3 2026", value: answers, error: messageFor(errors, "expires_on") })}
    ${button("Add API client")}
  </form>
</div></div>`,
    mount(main) {
      const form = main.querySelector<HTMLFormElement>("form[data-form=add-api-client]");
      form?.addEventListener("submit", (event) => {
        event.preventDefault();
        const data = new FormData(form);
        const text = (name: string) => String(data.get(name) ?? "");
        answers = { name: text("name"), day: text("expires_on-day"), month: text("expires_on-month"), year: text("expires_on-year") };
        void save();
      });
    },
  };
}

let saving = false;

async function save(): Promise<void> {
  if (saving) return;
  saving = true;
  const visit = currentVisit();
  try {
    const { data, error, response } = await api.POST("/api/v1/api-clients", { body: createClientBody(answers) });
    if (response.status === 201 && data) {
      holdToken(data.id, data.token);
      flash(paths.apiClient(data.id), "API client added", `${data.name} has been added. Copy its token now.`);
      answers = {};
      navigate(paths.apiClient(data.id));
    } else if (response.status === 422 && error?.errors) {
      show(addClientForm(error.errors), visit);
    } else {
      throw unexpected(response, error);
    }
  } catch (e) {
    fail(e, visit);
  } finally {
    saving = false;
  }
}
