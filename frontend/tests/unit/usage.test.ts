import assert from "node:assert/strict";
import { test } from "node:test";
import { table } from "../../src/components/govuk";
import { chartBars, USAGE_TEXT, usageCells, usageRows, usageSection, utcToday } from "../../src/components/usage";

const day = (date: string, requests: number, refused = 0) => ({ date, requests, refused });

test("a day's row reads as a GOV.UK date and counts with thousands separated", () => {
  assert.deepEqual(usageCells(day("2026-12-07", 12345, 1203)), ["7 December 2026", "12,345", "1,203"]);
  assert.deepEqual(usageCells(day("2026-01-01", 0, 0)), ["1 January 2026", "0", "0"]);
});

test("the last use says when in UK time and from where, or Never for both", () => {
  assert.deepEqual(usageRows({ days: [], last_used_at: "2026-07-01T08:05:00Z", last_used_ip: "192.0.2.10" }).map((r) => [r.key, r.value]), [
    ["Last used", "1 July 2026 at 9:05am"],
    ["Last used from", "192.0.2.10"],
  ]);
  assert.deepEqual(usageRows({ days: [], last_used_at: null, last_used_ip: null }).map((r) => r.value), ["Never", "Never"]);
  assert.deepEqual(usageRows({ days: [] }).map((r) => r.value), ["Never", "Never"], "absent is never too");
});

test("no days: the sentence instead of the chart and the table", () => {
  const markup = usageSection({ days: [], last_used_at: null, last_used_ip: null }, "2026-12-07").value;
  assert.match(markup, /<h2 class="govuk-heading-m[^"]*">Usage<\/h2>/);
  assert.match(markup, /<p class="govuk-body">This API client has not been used in the last 90 days.<\/p>/);
  assert.doesNotMatch(markup, /govuk-table|app-usage-chart/);
});

test("usage that could not be loaded is an inset text under the heading", () => {
  const markup = usageSection(null, "2026-12-07").value;
  assert.match(markup, />Usage<\/h2>/);
  assert.match(markup, /<div class="govuk-inset-text">Usage could not be loaded.<\/div>/);
  assert.doesNotMatch(markup, /govuk-summary-list|govuk-table/);
});

test("days: a table with a caption, the date as each row's header and the counts right-aligned, under an aria-hidden chart", () => {
  const markup = usageSection({ days: [day("2026-12-07", 1500, 3), day("2026-12-01", 2)], last_used_at: "2026-12-07T10:00:00Z", last_used_ip: "127.0.0.1" }, "2026-12-07").value;
  assert.match(markup, /<caption class="govuk-table__caption govuk-table__caption--s">Requests per day, last 90 days<\/caption>/);
  assert.match(markup, /<th scope="col" class="govuk-table__header">Date<\/th>\s*<th scope="col" class="govuk-table__header govuk-table__header--numeric">Requests<\/th>\s*<th scope="col" class="govuk-table__header govuk-table__header--numeric">Refused<\/th>/);
  assert.match(markup, /<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">7 December 2026<\/th><td class="govuk-table__cell govuk-table__cell--numeric">1,500<\/td><td class="govuk-table__cell govuk-table__cell--numeric">3<\/td><\/tr>/);
  assert.match(markup, /<div class="app-usage-chart" aria-hidden="true">\s*<svg [^>]*focusable="false"/);
  assert.equal(markup.match(/<rect /g)?.length, 2, "a bar a day");
  assert.ok(markup.indexOf("app-usage-chart") < markup.indexOf("govuk-table"), "the chart is above the table");
  assert.ok(!markup.includes(USAGE_TEXT.notUsed));
});

test("the chart places each day among the 90 ending today, scaled to the busiest day", () => {
  const { last, bars } = chartBars([day("2026-12-07", 10), day("2026-12-06", 5), day("2026-09-09", 1), day("2026-09-08", 7)], "2026-12-07");
  assert.equal(last, "2026-12-07");
  assert.deepEqual(bars, [
    { slot: 89, share: 1 },
    { slot: 88, share: 0.5 },
    { slot: 0, share: 0.1 },
  ], "8 September is 90 days before: outside the chart");
  assert.deepEqual(chartBars([day("2026-12-08", 4)], "2026-12-07"), { last: "2026-12-08", bars: [{ slot: 89, share: 1 }] }, "a browser clock behind the server's");
  assert.deepEqual(chartBars([day("2026-12-07", 0, 0)], "2026-12-07").bars, [], "no bar for a day without requests");
  assert.equal(utcToday(new Date("2026-12-07T23:59:59-05:00")), "2026-12-08", "the UTC date, not the local one");
});

test("a table's caption can be for screen readers only, and its cells plain", () => {
  const markup = table({ caption: "Users", captionSize: "hidden", columns: [{ text: "Name" }], rows: [["Ada <Lovelace>"]] }).value;
  assert.match(markup, /<caption class="govuk-table__caption govuk-visually-hidden">Users<\/caption>/);
  assert.match(markup, /<td class="govuk-table__cell">Ada &lt;Lovelace&gt;<\/td>/);
});
