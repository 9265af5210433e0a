import assert from "node:assert/strict";
import { test } from "node:test";
import { formatDate } from "../../src/format";
import { holdToken, takeToken } from "../../src/one-time-token";
import { createClientBody } from "../../src/forms/api-client-form";

test("an expiry date left blank is left out, so the API picks its default", () => {
  assert.deepEqual(createClientBody({ name: "Payroll", day: " ", month: "", year: "" }), { name: "Payroll" });
});

test("an expiry date is sent as YYYY-MM-DD, with one-digit days and months padded", () => {
  assert.deepEqual(createClientBody({ name: "Payroll", day: "7", month: "3", year: "2026" }), { name: "Payroll", expires_on: "2026-03-07" });
});

test("a partial or odd date is sent as it is, for the API to refuse with its own message", () => {
  assert.equal(createClientBody({ name: "", day: "", month: "3", year: "2026" }).expires_on, "2026-03-");
  assert.equal(createClientBody({ name: "", day: "x", month: "3", year: "26" }).expires_on, "26-03-x");
});

test("calendar dates read as GOV.UK writes them, whatever the browser's zone", () => {
  assert.equal(formatDate("2026-06-11"), "11 June 2026");
  assert.equal(formatDate("2026-01-01"), "1 January 2026");
  assert.equal(formatDate("not a date"), "not a date");
});

test("an issued token is shown once, and only for its own client", () => {
  holdToken("client-1", "dfe_rtp_secret");
  assert.equal(takeToken("client-2"), null);
  assert.equal(takeToken("client-1"), "dfe_rtp_secret");
  assert.equal(takeToken("client-1"), null);
});
