import assert from "node:assert/strict";
import { test } from "node:test";
import { formatDateTime, formatNumber, fullName, lastSignedIn, plural, yesNo } from "../../src/format";

// The runner sets TZ to New York, so these pass only if London time is used explicitly.

test("a winter time is shown in GMT, as GOV.UK writes it", () => {
  assert.equal(formatDateTime("2025-12-11T14:13:00Z"), "11 December 2025 at 2:13pm");
});

test("a summer time is shown in BST, an hour ahead of UTC", () => {
  assert.equal(formatDateTime("2025-07-01T08:05:00Z"), "1 July 2025 at 9:05am");
});

test("the date is London's, even when UTC is still on the day before", () => {
  assert.equal(formatDateTime("2025-06-30T23:30:00Z"), "1 July 2025 at 12:30am");
});

test("noon and midnight are written as midday and midnight", () => {
  assert.equal(formatDateTime("2025-12-11T12:00:00Z"), "11 December 2025 at midday");
  assert.equal(formatDateTime("2025-12-11T00:00:00Z"), "11 December 2025 at midnight");
});

test("microsecond timestamps from the API are understood", () => {
  assert.equal(formatDateTime("2025-12-11T14:13:59.123456Z"), "11 December 2025 at 2:13pm");
});

test("the last sign-in sentence says when, or that there was none", () => {
  assert.equal(lastSignedIn(null), "User has never signed in");
  assert.equal(lastSignedIn(undefined), "User has never signed in");
  assert.equal(lastSignedIn("2025-12-11T14:13:00Z"), "Last signed in on 11 December 2025 at 2:13pm");
});

test("names, yes/no and counts read naturally", () => {
  assert.equal(fullName({ first_name: "Ada", last_name: "Lovelace" }), "Ada Lovelace");
  assert.equal(yesNo(true), "Yes");
  assert.equal(yesNo(false), "No");
  assert.equal(plural(1, "user"), "1 user");
  assert.equal(plural(1234, "user"), "1,234 users");
});

test("counts have their thousands separated", () => {
  assert.equal(formatNumber(0), "0");
  assert.equal(formatNumber(999), "999");
  assert.equal(formatNumber(1234), "1,234");
  assert.equal(formatNumber(1234567), "1,234,567");
});
