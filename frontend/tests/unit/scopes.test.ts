import assert from "node:assert/strict";
import { test } from "node:test";
import { SCOPES, scopeNames, scopesToOffer } from "../../src/scopes";

test("each scope is named once, as the contract words it", () => {
  assert.deepEqual(SCOPES, [
    { value: "providers:read", text: "Read training provider data" },
    { value: "api_clients:manage", text: "Manage its own API clients" },
    { value: "scim", text: "Provision users (SCIM)" },
  ]);
});

test("a client's scopes read in the question's order, whatever order the API sorts them in", () => {
  assert.deepEqual(scopeNames(["api_clients:manage", "providers:read", "scim"]), ["Read training provider data", "Manage its own API clients", "Provision users (SCIM)"]);
  assert.deepEqual(scopeNames(["providers:write"]), ["providers:write"], "one the SPA does not know reads as the API names it");
});

test("only an administrator is offered Provision users (SCIM)", () => {
  const offered = (role: "viewer" | "editor" | "administrator") => scopesToOffer({ api_user: false, support_role: role }).map((s) => s.value);
  assert.deepEqual(offered("administrator"), ["providers:read", "api_clients:manage", "scim"]);
  assert.deepEqual(offered("editor"), ["providers:read", "api_clients:manage"]);
});
