/**
 * An API client's usage (contract §10), on its page: when and from where its
 * token was last used, and its requests and refusals (403, 429) per UTC day
 * over the last 90 days, as a GOV.UK table with a small bar chart above it.
 * The chart is hidden from assistive technology, since the table carries the
 * same numbers. Every sentence is in `USAGE_TEXT`.
 */
import type { ApiClientUsage, ApiClientUsageDay } from "../api/client";
import { formatDate, formatDateTime, formatNumber } from "../format";
import { html, type SafeHtml } from "../html";
import { insetText, summaryList, table, type SummaryRow } from "./govuk";

/** How many UTC days the API keeps, today included. */
export const USAGE_DAYS = 90;

export const USAGE_TEXT = {
  heading: "Usage",
  lastUsed: "Last used",
  lastUsedFrom: "Last used from",
  never: "Never",
  caption: `Requests per day, last ${USAGE_DAYS} days`,
  columns: ["Date", "Requests", "Refused"],
  notUsed: `This API client has not been used in the last ${USAGE_DAYS} days.`,
  notLoaded: "Usage could not be loaded.",
} as const;

/** `Last used` and `Last used from`, `Never` for a client whose token has not been used. */
export function usageRows(usage: ApiClientUsage): SummaryRow[] {
  return [
    { key: USAGE_TEXT.lastUsed, value: usage.last_used_at ? formatDateTime(usage.last_used_at) : USAGE_TEXT.never },
    { key: USAGE_TEXT.lastUsedFrom, value: usage.last_used_ip ?? USAGE_TEXT.never },
  ];
}

/** A day's row as the table reads: `7 December 2026`, `1,234`, `3`. */
export function usageCells(day: ApiClientUsageDay): [string, string, string] {
  return [formatDate(day.date), formatNumber(day.requests), formatNumber(day.refused)];
}

/** Today's UTC date, `YYYY-MM-DD`, as the API names its days. */
export function utcToday(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

const DAY_MS = 86_400_000;
const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

export interface Bar {
  /** 0 for the first of the 90 days, 89 for the last. */
  slot: number;
  /** The day's requests as a share of the busiest day's, above 0 and at most 1. */
  share: number;
}

/**
 * The chart's bars: one a day with requests, placed among the 90 days that
 * end on `today` (or on the API's newest day, should this browser's clock be
 * behind the server's). Days outside them are left out.
 */
export function chartBars(days: readonly ApiClientUsageDay[], today: string): { last: string; bars: Bar[] } {
  const newest = days[0]?.date;
  const last = newest && newest > today ? newest : today;
  const busiest = Math.max(0, ...days.map((day) => day.requests));
  const bars = days
    .map((day) => ({ slot: USAGE_DAYS - 1 - daysBetween(day.date, last), share: busiest ? day.requests / busiest : 0 }))
    .filter((bar) => bar.slot >= 0 && bar.slot < USAGE_DAYS && bar.share > 0);
  return { last, bars };
}

const CHART_HEIGHT = 40;

/** Requests per day as bars, the first and last day's dates under them; `aria-hidden`, the table says the same. */
function chart(days: readonly ApiClientUsageDay[], today: string): SafeHtml {
  const { last, bars } = chartBars(days, today);
  const first = new Date(Date.parse(`${last}T00:00:00Z`) - (USAGE_DAYS - 1) * DAY_MS).toISOString().slice(0, 10);
  // At least one unit high, so that a quiet day still shows next to a busy one.
  const height = (share: number): number => Math.max(1, Math.round(share * CHART_HEIGHT));
  return html`<div class="app-usage-chart" aria-hidden="true">
  <svg class="app-usage-chart__bars" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${USAGE_DAYS} ${CHART_HEIGHT}" preserveAspectRatio="none" focusable="false">
    ${bars.map((bar) => html`<rect x="${bar.slot + 0.1}" y="${CHART_HEIGHT - height(bar.share)}" width="0.8" height="${height(bar.share)}"></rect>`)}
  </svg>
  <p class="govuk-body-s app-usage-chart__axis"><span>${formatDate(first)}</span><span>${formatDate(last)}</span></p>
</div>`;
}

/**
 * The Usage section: its heading, the last use, then the chart and the table
 * (or a sentence when there were no requests); `null` (the API's answer did
 * not come) says usage could not be loaded.
 */
export function usageSection(usage: ApiClientUsage | null, today: string = utcToday()): SafeHtml {
  const body = !usage
    ? insetText(USAGE_TEXT.notLoaded)
    : html`${summaryList(usageRows(usage))}
  ${usage.days.length
    ? html`${chart(usage.days, today)}
  ${table({
    caption: USAGE_TEXT.caption,
    captionSize: "s",
    columns: USAGE_TEXT.columns.map((text, i) => ({ text, numeric: i > 0 })),
    rows: usage.days.map(usageCells),
    firstCellIsHeader: true,
  })}`
    : html`<p class="govuk-body">${USAGE_TEXT.notUsed}</p>`}`;
  return html`<h2 class="govuk-heading-m govuk-!-margin-top-8">${USAGE_TEXT.heading}</h2>
  ${body}`;
}
