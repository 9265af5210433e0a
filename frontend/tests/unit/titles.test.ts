import assert from "node:assert/strict";
import { test } from "node:test";
import { pageTitle, DEFAULT_SERVICE_NAME } from "../../src/titles";
import { paths, safeReturnTo } from "../../src/paths";

test("a page title names the page, the service and GOV.UK", () => {
  assert.equal(pageTitle("Users (66)", DEFAULT_SERVICE_NAME), "Users (66) - Register of training providers - GOV.UK");
});

test("a page showing errors has a title starting with Error:", () => {
  assert.equal(pageTitle("Add user", DEFAULT_SERVICE_NAME, true), "Error: Add user - Register of training providers - GOV.UK");
});

test("the service name comes from configuration", () => {
  assert.equal(pageTitle("Sign in", "Manage users"), "Sign in - Manage users - GOV.UK");
});

test("return_to keeps a path of this service, with its query", () => {
  assert.equal(safeReturnTo("/users/0193b0c2?x=1"), "/users/0193b0c2?x=1");
  assert.equal(safeReturnTo("/users?q=ada&page=2"), "/users?q=ada&page=2");
});

test("return_to refuses other sites, the API and the sign-in pages", () => {
  for (const bad of [null, "", "https://evil.example/", "//evil.example/x", "/\\evil.example", "users", "/api/v1/users", "/swagger-ui/", "/sign-in", "/sign-out", "/users\n"]) {
    assert.equal(safeReturnTo(bad), paths.users, String(bad));
  }
});

test("addresses of pages escape what they carry", () => {
  assert.equal(paths.signIn("/users/1?a=b&c=d"), "/sign-in?return_to=%2Fusers%2F1%3Fa%3Db%26c%3Dd");
  assert.equal(paths.oidcStart("/users"), "/api/v1/auth/oidc/start?return_to=%2Fusers");
});
