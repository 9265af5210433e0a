import assert from "node:assert/strict";
import { test } from "node:test";
import { activityFiltersFrom, activityQuery, activityUrl, isFiltered, startOfLondonDay } from "../../src/activity-query";

test("the Activity address keeps the action and the dates as typed", () => {
  const filters = activityFiltersFrom(new URLSearchParams("action=user.deleted&from=%202025-03-27%20&to=27%2F3%2F2025"));
  assert.deepEqual(filters, { action: "user.deleted", from: "2025-03-27", to: "27/3/2025" });
  assert.equal(activityUrl(filters), "/activity?action=user.deleted&from=2025-03-27&to=27%2F3%2F2025");
  assert.equal(isFiltered(filters), true);
});

test("an unknown action in the address is ignored, and no filters is the plain address", () => {
  const filters = activityFiltersFrom(new URLSearchParams("action=user.exploded&page=2"));
  assert.deepEqual(filters, { action: "", from: "", to: "" });
  assert.equal(activityUrl(filters), "/activity");
  assert.equal(isFiltered(filters), false);
});

test("a date is the start of that day in London: GMT in winter, BST in summer", () => {
  assert.equal(startOfLondonDay("2025-12-11"), "2025-12-11T00:00:00Z");
  assert.equal(startOfLondonDay("2025-07-01"), "2025-07-01T00:00:00+01:00");
  // The days the clocks change (30 March and 26 October 2025) start on the old time.
  assert.equal(startOfLondonDay("2025-03-30"), "2025-03-30T00:00:00Z");
  assert.equal(startOfLondonDay("2025-03-31"), "2025-03-31T00:00:00+01:00");
  assert.equal(startOfLondonDay("2025-10-26"), "2025-10-26T00:00:00+01:00");
  assert.equal(startOfLondonDay("2025-10-27"), "2025-10-27T00:00:00Z");
});

test("the day after a date crosses months, years and clock changes", () => {
  assert.equal(startOfLondonDay("2025-12-31", 1), "2026-01-01T00:00:00Z");
  assert.equal(startOfLondonDay("2024-02-28", 1), "2024-02-29T00:00:00Z");
  assert.equal(startOfLondonDay("2025-03-29", 1), "2025-03-30T00:00:00Z");
  assert.equal(startOfLondonDay("2025-03-30", 1), "2025-03-31T00:00:00+01:00");
});

test("text that is not a real YYYY-MM-DD date is not a date", () => {
  for (const text of ["27 3 2025", "27/03/2025", "2025-3-27", "2025-02-30", "2025-13-01", "2025-03-27T10:00:00Z", ""]) {
    assert.equal(startOfLondonDay(text), null, text);
  }
});

test("the API is asked from the start of the From date to the end of the To date, in UK time", () => {
  assert.deepEqual(activityQuery({ action: "user.updated", from: "2025-07-01", to: "2025-07-31" }), {
    action: "user.updated",
    since: "2025-07-01T00:00:00+01:00",
    until: "2025-08-01T00:00:00+01:00",
  });
  assert.deepEqual(activityQuery({ action: "", from: "", to: "" }), {});
});

test("anything else typed goes to the API as it is, for the API to accept or refuse", () => {
  assert.deepEqual(activityQuery({ action: "", from: "27/3/2025", to: "2025-03-27T12:00:00Z" }), {
    since: "27/3/2025",
    until: "2025-03-27T12:00:00Z",
  });
});
