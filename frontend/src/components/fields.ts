/** Form fields, as the GOV.UK input, textarea, radios, checkboxes, select and date input macros render them. */
import { html, type SafeHtml } from "../html";

function errorMessage(id: string, error: string | undefined): SafeHtml {
  return error
    ? html`<p id="${id}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${error}</p>`
    : html``;
}

function hintText(id: string | undefined, hint: string | undefined): SafeHtml {
  return hint ? html`<div id="${id}" class="govuk-hint">${hint}</div>` : html``;
}

function describedBy(ids: (string | false | undefined)[]): SafeHtml {
  const list = ids.filter((id): id is string => Boolean(id));
  return list.length ? html` aria-describedby="${list.join(" ")}"` : html``;
}

export interface TextInputOptions {
  /** Both the id and the name: the API's JSON field name. */
  name: string;
  label: string;
  value?: string | undefined;
  hint?: string;
  error?: string | undefined;
  type?: "text" | "email" | "search";
  width?: "govuk-input--width-10" | "govuk-input--width-20" | "govuk-input--width-30" | "govuk-!-width-full";
  autocomplete?: string;
  spellcheck?: boolean;
}

export function textInput(o: TextInputOptions): SafeHtml {
  const hintId = o.hint ? `${o.name}-hint` : undefined;
  const errorId = o.error ? `${o.name}-error` : undefined;
  const classes = ["govuk-input", o.width, o.error && "govuk-input--error"].filter(Boolean).join(" ");
  return html`<div class="govuk-form-group${o.error ? " govuk-form-group--error" : ""}">
  <label class="govuk-label" for="${o.name}">${o.label}</label>
  ${hintText(hintId, o.hint)}
  ${errorMessage(o.name, o.error)}
  <input class="${classes}" id="${o.name}" name="${o.name}" type="${o.type ?? "text"}" value="${o.value ?? ""}"${describedBy([hintId, errorId])}${o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ""}${o.spellcheck === false ? html` spellcheck="false"` : ""}>
</div>`;
}

export interface TextareaOptions {
  /** Both the id and the name: the API's JSON field name. */
  name: string;
  label: string;
  value?: string | undefined;
  hint?: string;
  error?: string | undefined;
  rows?: number;
  spellcheck?: boolean;
}

export function textarea(o: TextareaOptions): SafeHtml {
  const hintId = o.hint ? `${o.name}-hint` : undefined;
  const errorId = o.error ? `${o.name}-error` : undefined;
  return html`<div class="govuk-form-group${o.error ? " govuk-form-group--error" : ""}">
  <label class="govuk-label" for="${o.name}">${o.label}</label>
  ${hintText(hintId, o.hint)}
  ${errorMessage(o.name, o.error)}
  <textarea class="govuk-textarea${o.error ? " govuk-textarea--error" : ""}" id="${o.name}" name="${o.name}" rows="${o.rows ?? 5}"${describedBy([hintId, errorId])}${o.spellcheck === false ? html` spellcheck="false"` : ""}>${o.value ?? ""}</textarea>
</div>`;
}

export interface RadioItem {
  value: string;
  text: string;
  /** A hint under the item's label. */
  hint?: string | undefined;
  /** Shown below the item while it is selected (GOV.UK's conditional reveal, kept in step by `mountReveals`; not for inline radios). */
  conditional?: SafeHtml | undefined;
}

export interface RadiosOptions {
  name: string;
  legend: string;
  hint?: string;
  items: readonly RadioItem[];
  value?: string | undefined;
  error?: string | undefined;
  inline?: boolean;
}

export function radios(o: RadiosOptions): SafeHtml {
  const hintId = o.hint ? `${o.name}-hint` : undefined;
  const errorId = o.error ? `${o.name}-error` : undefined;
  // The first radio's id is the field's name, so `#name` links reach it.
  const id = (i: number): string => (i === 0 ? o.name : `${o.name}-${i + 1}`);
  const item = (radio: RadioItem, i: number): SafeHtml => {
    const checked = radio.value === o.value;
    const itemHintId = `${id(i)}-item-hint`;
    const conditionalId = `conditional-${id(i)}`;
    return html`<div class="govuk-radios__item">
        <input class="govuk-radios__input" id="${id(i)}" name="${o.name}" type="radio" value="${radio.value}"${checked ? html` checked` : ""}${radio.conditional ? html` data-reveals="${conditionalId}"` : ""}${radio.hint ? html` aria-describedby="${itemHintId}"` : ""}>
        <label class="govuk-label govuk-radios__label" for="${id(i)}">${radio.text}</label>
        ${radio.hint ? html`<div id="${itemHintId}" class="govuk-hint govuk-radios__hint">${radio.hint}</div>` : ""}
      </div>
      ${radio.conditional
        ? html`<div class="govuk-radios__conditional${checked ? "" : " govuk-radios__conditional--hidden"}" id="${conditionalId}">
        ${radio.conditional}
      </div>`
        : ""}`;
  };
  return html`<div class="govuk-form-group${o.error ? " govuk-form-group--error" : ""}">
  <fieldset class="govuk-fieldset"${describedBy([hintId, errorId])}>
    <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">${o.legend}</legend>
    ${hintText(hintId, o.hint)}
    ${errorMessage(o.name, o.error)}
    <div class="govuk-radios${o.inline ? " govuk-radios--inline" : ""}" data-module="govuk-radios">
      ${o.items.map(item)}
    </div>
  </fieldset>
</div>`;
}

export interface CheckboxesOptions {
  name: string;
  legend: string;
  hint?: string;
  items: readonly { value: string; text: string }[];
  /** The ticked items' values. */
  values?: readonly string[] | undefined;
  error?: string | undefined;
}

export function checkboxes(o: CheckboxesOptions): SafeHtml {
  const hintId = o.hint ? `${o.name}-hint` : undefined;
  const errorId = o.error ? `${o.name}-error` : undefined;
  // The first checkbox's id is the field's name, so `#name` links reach it.
  const id = (i: number): string => (i === 0 ? o.name : `${o.name}-${i + 1}`);
  return html`<div class="govuk-form-group${o.error ? " govuk-form-group--error" : ""}">
  <fieldset class="govuk-fieldset"${describedBy([hintId, errorId])}>
    <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">${o.legend}</legend>
    ${hintText(hintId, o.hint)}
    ${errorMessage(o.name, o.error)}
    <div class="govuk-checkboxes" data-module="govuk-checkboxes">
      ${o.items.map(
        (item, i) => html`<div class="govuk-checkboxes__item">
        <input class="govuk-checkboxes__input" id="${id(i)}" name="${o.name}" type="checkbox" value="${item.value}"${o.values?.includes(item.value) ? html` checked` : ""}>
        <label class="govuk-label govuk-checkboxes__label" for="${id(i)}">${item.text}</label>
      </div>`,
      )}
    </div>
  </fieldset>
</div>`;
}

/**
 * Shows each radio's conditional content while the radio is selected, as
 * GOV.UK Frontend's conditional reveal does. Its own script also sets
 * `aria-expanded` on the radio, which ARIA does not allow there (axe's
 * aria-allowed-attr; govuk-frontend issue 979), so these radios name their
 * content with `data-reveals` rather than `data-aria-controls`, and this
 * keeps it in step.
 */
export function mountReveals(root: HTMLElement): void {
  const revealing = [...root.querySelectorAll<HTMLInputElement>("input[type=radio][data-reveals]")];
  if (revealing.length === 0) return;
  const sync = (): void => {
    for (const input of revealing) {
      document.getElementById(input.dataset.reveals ?? "")?.classList.toggle("govuk-radios__conditional--hidden", !input.checked);
    }
  };
  root.addEventListener("change", sync);
  sync();
}

export interface SelectOptions {
  name: string;
  label: string;
  items: readonly { value: string; text: string }[];
  value?: string | undefined;
}

export function select(o: SelectOptions): SafeHtml {
  return html`<div class="govuk-form-group">
  <label class="govuk-label" for="${o.name}">${o.label}</label>
  <select class="govuk-select govuk-!-width-full" id="${o.name}" name="${o.name}">
    ${o.items.map((item) => html`<option value="${item.value}"${item.value === (o.value ?? "") ? html` selected` : ""}>${item.text}</option>`)}
  </select>
</div>`;
}

export interface DateInputOptions {
  /** The API's field name: the day input takes it as its id, so error links land there. */
  name: string;
  legend: string;
  hint?: string;
  value?: { day?: string; month?: string; year?: string } | undefined;
  error?: string | undefined;
}

/** Day, month and year, as the GOV.UK date input macro renders them. */
export function dateInput(o: DateInputOptions): SafeHtml {
  const hintId = o.hint ? `${o.name}-hint` : undefined;
  const errorId = o.error ? `${o.name}-error` : undefined;
  const parts = [
    { part: "day", label: "Day", width: "govuk-input--width-2", id: o.name },
    { part: "month", label: "Month", width: "govuk-input--width-2", id: `${o.name}-month` },
    { part: "year", label: "Year", width: "govuk-input--width-4", id: `${o.name}-year` },
  ] as const;
  return html`<div class="govuk-form-group${o.error ? " govuk-form-group--error" : ""}">
  <fieldset class="govuk-fieldset" role="group"${describedBy([hintId, errorId])}>
    <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">${o.legend}</legend>
    ${hintText(hintId, o.hint)}
    ${errorMessage(o.name, o.error)}
    <div class="govuk-date-input" id="${o.name}-date">
      ${parts.map(
        (p) => html`<div class="govuk-date-input__item">
        <div class="govuk-form-group">
          <label class="govuk-label govuk-date-input__label" for="${p.id}">${p.label}</label>
          <input class="govuk-input govuk-date-input__input ${p.width}${o.error ? " govuk-input--error" : ""}" id="${p.id}" name="${o.name}-${p.part}" type="text" inputmode="numeric" value="${o.value?.[p.part] ?? ""}">
        </div>
      </div>`,
      )}
    </div>
  </fieldset>
</div>`;
}
