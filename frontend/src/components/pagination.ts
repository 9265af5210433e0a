/** GOV.UK pagination: numbered pages with ellipses, previous and next. */
import { html, type SafeHtml } from "../html";

export type PageItem = number | "ellipsis";

/**
 * The page numbers to show: the first, the last, the current one and its
 * neighbours, with an ellipsis for each gap of more than one page (a gap of
 * exactly one page shows that page instead).
 */
export function pageItems(current: number, total: number): PageItem[] {
  if (total <= 1) return [];
  const wanted = new Set([1, total, current - 1, current, current + 1].filter((n) => n >= 1 && n <= total));
  const numbers = [...wanted].sort((a, b) => a - b);
  const items: PageItem[] = [];
  let previous = 0;
  for (const n of numbers) {
    if (n - previous === 2) items.push(previous + 1);
    else if (n - previous > 2) items.push("ellipsis");
    items.push(n);
    previous = n;
  }
  return items;
}

const prevIcon = html`<svg class="govuk-pagination__icon govuk-pagination__icon--prev" xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13"><path d="m6.5938-0.0078125-6.7266 6.7266 6.7441 6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z"></path></svg>`;
const nextIcon = html`<svg class="govuk-pagination__icon govuk-pagination__icon--next" xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13"><path d="m8.107-0.0078125-1.4136 1.414 4.2926 4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z"></path></svg>`;

/** The pagination nav, or nothing when there is a single page. */
export function pagination(current: number, total: number, href: (page: number) => string): SafeHtml {
  const items = pageItems(current, total);
  if (items.length === 0) return html``;
  return html`<nav class="govuk-pagination" aria-label="Pagination">
  ${current > 1
    ? html`<div class="govuk-pagination__prev">
    <a class="govuk-link govuk-pagination__link" href="${href(current - 1)}" rel="prev">${prevIcon}<span class="govuk-pagination__link-title">Previous<span class="govuk-visually-hidden"> page</span></span></a>
  </div>`
    : ""}
  <ul class="govuk-pagination__list">
    ${items.map((item) =>
      item === "ellipsis"
        ? html`<li class="govuk-pagination__item govuk-pagination__item--ellipsis">&ctdot;</li>`
        : html`<li class="govuk-pagination__item${item === current ? " govuk-pagination__item--current" : ""}">
      <a class="govuk-link govuk-pagination__link" href="${href(item)}" aria-label="Page ${item}"${item === current ? html` aria-current="page"` : ""}>${item}</a>
    </li>`,
    )}
  </ul>
  ${current < total
    ? html`<div class="govuk-pagination__next">
    <a class="govuk-link govuk-pagination__link" href="${href(current + 1)}" rel="next"><span class="govuk-pagination__link-title">Next<span class="govuk-visually-hidden"> page</span></span>${nextIcon}</a>
  </div>`
    : ""}
</nav>`;
}
