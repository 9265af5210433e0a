/**
 * GOV.UK Design System components as markup, matching the Nunjucks macros'
 * output in govuk-frontend (same elements, classes and attributes).
 */
import { html, type Interpolation, type SafeHtml } from "../html";

/** The two-thirds column that a page's content (or part of it) sits in, in its grid row. */
export function twoThirds(content: Interpolation): SafeHtml {
  return html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
  ${content}
</div></div>`;
}

export function backLink(href: string, text = "Back"): SafeHtml {
  return html`<a href="${href}" class="govuk-back-link">${text}</a>`;
}

export function button(text: string, options: { warning?: boolean; secondary?: boolean; name?: string; value?: string } = {}): SafeHtml {
  const classes = ["govuk-button", options.warning && "govuk-button--warning", options.secondary && "govuk-button--secondary"]
    .filter(Boolean)
    .join(" ");
  const name = options.name ? html` name="${options.name}" value="${options.value ?? ""}"` : "";
  return html`<button type="submit"${name} class="${classes}" data-module="govuk-button" data-prevent-double-click="true">${text}</button>`;
}

export function buttonLink(text: string, href: string, options: { start?: boolean; secondary?: boolean } = {}): SafeHtml {
  const classes = ["govuk-button", options.start && "govuk-button--start", options.secondary && "govuk-button--secondary"]
    .filter(Boolean)
    .join(" ");
  const icon = options.start
    ? html`<svg class="govuk-button__start-icon" xmlns="http://www.w3.org/2000/svg" width="17.5" height="19" viewBox="0 0 33 40" aria-hidden="true" focusable="false"><path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z"/></svg>`
    : "";
  return html`<a href="${href}" role="button" draggable="false" class="${classes}" data-module="govuk-button">${text}${icon}</a>`;
}

export function tag(text: string, colour?: "green" | "grey" | "blue" | "red"): SafeHtml {
  return html`<strong class="govuk-tag${colour ? ` govuk-tag--${colour}` : ""}">${text}</strong>`;
}

export function statusTag(active: boolean): SafeHtml {
  return active ? tag("Active", "green") : tag("Inactive", "grey");
}

/** An API client's status as a tag: active, expired or revoked. */
export function clientStatusTag(status: "active" | "expired" | "revoked"): SafeHtml {
  switch (status) {
    case "active":
      return tag("Active", "green");
    case "expired":
      return tag("Expired", "grey");
    case "revoked":
      return tag("Revoked", "red");
  }
}

export function successBanner(heading: string, body?: Interpolation): SafeHtml {
  return html`<div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="govuk-notification-banner-title" data-module="govuk-notification-banner">
  <div class="govuk-notification-banner__header">
    <h2 class="govuk-notification-banner__title" id="govuk-notification-banner-title">Success</h2>
  </div>
  <div class="govuk-notification-banner__content">
    <p class="govuk-notification-banner__heading">${heading}</p>
    ${body ? html`<p class="govuk-body">${body}</p>` : ""}
  </div>
</div>`;
}

export function warningText(text: string): SafeHtml {
  return html`<div class="govuk-warning-text">
  <span class="govuk-warning-text__icon" aria-hidden="true">!</span>
  <strong class="govuk-warning-text__text">
    <span class="govuk-visually-hidden">Warning</span>
    ${text}
  </strong>
</div>`;
}

export function insetText(content: Interpolation): SafeHtml {
  return html`<div class="govuk-inset-text">${content}</div>`;
}

export interface ErrorSummaryItem {
  text: string;
  /** `#field` on the same page; without it the item is plain text. */
  href?: string | undefined;
}

export function errorSummary(items: readonly ErrorSummaryItem[], description?: string): SafeHtml {
  return html`<div class="govuk-error-summary" data-module="govuk-error-summary">
  <div role="alert">
    <h2 class="govuk-error-summary__title">There is a problem</h2>
    <div class="govuk-error-summary__body">
      ${description ? html`<p>${description}</p>` : ""}
      <ul class="govuk-list govuk-error-summary__list">
        ${items.map((item) => html`<li>${item.href ? html`<a href="${item.href}">${item.text}</a>` : item.text}</li>`)}
      </ul>
    </div>
  </div>
</div>`;
}

/** Values one a line, as a plain GOV.UK list (a summary list value with several). */
export function lines(values: readonly string[]): SafeHtml {
  return html`<ul class="govuk-list">${values.map((value) => html`<li>${value}</li>`)}</ul>`;
}

export interface SummaryRow {
  key: string;
  value: Interpolation;
  /** A ‘Change’ link; `hidden` completes its text for screen readers. */
  change?: { href: string; hidden: string } | undefined;
}

export function summaryList(rows: readonly SummaryRow[]): SafeHtml {
  // Rows without actions in a list where some have them get the
  // `--no-actions` modifier, as the macro does.
  const anyActions = rows.some((row) => row.change);
  return html`<dl class="govuk-summary-list">
  ${rows.map(
    (row) => html`<div class="govuk-summary-list__row${anyActions && !row.change ? " govuk-summary-list__row--no-actions" : ""}">
    <dt class="govuk-summary-list__key">${row.key}</dt>
    <dd class="govuk-summary-list__value">${row.value}</dd>
    ${row.change
      ? html`<dd class="govuk-summary-list__actions"><a class="govuk-link" href="${row.change.href}">Change<span class="govuk-visually-hidden"> ${row.change.hidden}</span></a></dd>`
      : ""}
  </div>`,
  )}
</dl>`;
}

export interface TableColumn {
  text: string;
  /** Right-aligned, for numbers (the header and the column's cells). */
  numeric?: boolean;
}

export interface TableOptions {
  /** Every table has a caption; `hidden` keeps it for screen readers only, `s` shows it small. */
  caption: string;
  captionSize?: "hidden" | "s" | "m";
  columns: readonly TableColumn[];
  /** The rows' cells, in the columns' order. */
  rows: readonly (readonly Interpolation[])[];
  /** The first cell of each row is its header (`<th scope="row">`). */
  firstCellIsHeader?: boolean;
}

/** A GOV.UK table, as the macro renders it. */
export function table(o: TableOptions): SafeHtml {
  const numeric = (i: number): string => (o.columns[i]?.numeric ? " govuk-table__cell--numeric" : "");
  const cell = (value: Interpolation, i: number): SafeHtml =>
    i === 0 && o.firstCellIsHeader
      ? html`<th scope="row" class="govuk-table__header${numeric(i)}">${value}</th>`
      : html`<td class="govuk-table__cell${numeric(i)}">${value}</td>`;
  const captionClass = o.captionSize === "hidden" ? "govuk-visually-hidden" : `govuk-table__caption--${o.captionSize ?? "m"}`;
  return html`<table class="govuk-table">
  <caption class="govuk-table__caption ${captionClass}">${o.caption}</caption>
  <thead class="govuk-table__head">
    <tr class="govuk-table__row">
      ${o.columns.map((column) => html`<th scope="col" class="govuk-table__header${column.numeric ? " govuk-table__header--numeric" : ""}">${column.text}</th>`)}
    </tr>
  </thead>
  <tbody class="govuk-table__body">
    ${o.rows.map((cells) => html`<tr class="govuk-table__row">${cells.map(cell)}</tr>`)}
  </tbody>
</table>`;
}

export function caption(text: string): SafeHtml {
  return html`<span class="govuk-caption-l">${text}</span>`;
}

export function heading(text: string, captionText?: string): SafeHtml {
  return html`${captionText ? caption(captionText) : ""}<h1 class="govuk-heading-l">${text}</h1>`;
}
