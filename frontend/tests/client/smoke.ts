// Smoke test of the TypeScript client a consumer generates from
// openapi/openapi.json (openapi-typescript types + openapi-fetch), against a
// live server at USERS_API_URL: sign in (dev) as an editor, list, create with
// a role, change with If-Match, read a 422's problem details, delete; a
// viewer's change refused with 403; then, as an API user, create an API
// client and read providers with its token.
import assert from "node:assert/strict";
import createClient from "openapi-fetch";
import type { paths } from "../../src/api/schema";

const baseUrl = process.env.USERS_API_URL ?? "";
assert.ok(baseUrl, "USERS_API_URL is set");

async function tokenFor(email: string): Promise<string> {
  const { data, response } = await createClient<paths>({ baseUrl }).POST("/api/v1/auth/dev/sign-in", { body: { email } });
  assert.equal(response.status, 200);
  return data!.access_token;
}

const as = (token: string) => createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } });

const support = as(await tokenFor("grace.hopper@education.gov.uk")); // an editor
const listed = await support.GET("/api/v1/users", { params: { query: { per_page: 5 } } });
assert.equal(listed.response.status, 200);
assert.ok(listed.data!.total >= 5);

const email = `ts.smoke.${Date.now()}@education.gov.uk`;
const created = await support.POST("/api/v1/users", {
  body: { first_name: "Script", last_name: "Smoke", email, api_user: false, support_role: "editor" },
});
assert.equal(created.response.status, 201);
// 201 answers a User; the 200 of a dry run a UserDraft, which has no id.
assert.ok(created.data && "id" in created.data);
const id = created.data.id;
assert.equal(created.data.support_role, "editor");
assert.equal(created.data.can_delete, true);

const viewer = as(await tokenFor("dorothy.vaughan@education.gov.uk"));
const refused = await viewer.PATCH("/api/v1/users/{id}", { params: { path: { id } }, body: { last_name: "Viewed" } });
assert.equal(refused.response.status, 403);
assert.equal(refused.error!.detail, "You do not have permission to make changes");
const etag = created.response.headers.get("etag") ?? "";
const changed = await support.PATCH("/api/v1/users/{id}", {
  params: { path: { id }, header: { "If-Match": etag } },
  body: { last_name: "Smoked" },
});
assert.equal(changed.response.status, 200);
assert.equal(changed.data!.last_name, "Smoked");
const stale = await support.PATCH("/api/v1/users/{id}", { params: { path: { id }, header: { "If-Match": etag } }, body: { last_name: "Again" } });
assert.equal(stale.response.status, 412);

const invalid = await support.POST("/api/v1/users", { body: { first_name: "Script", last_name: "", email: "x@example.com", api_user: false } });
assert.equal(invalid.response.status, 422);
assert.deepEqual(
  invalid.error!.errors!.map((e) => [e.field, e.message]),
  [
    ["last_name", "Enter last name"],
    ["email", "Enter a Department for Education email address in the correct format, like name@education.gov.uk"],
  ],
);

const deleted = await support.DELETE("/api/v1/users/{id}", { params: { path: { id } } });
assert.equal(deleted.response.status, 204);

const apiUser = as(await tokenFor("katherine.johnson@education.gov.uk"));
const client = await apiUser.POST("/api/v1/api-clients", { body: { name: `TS smoke ${Date.now()}` } });
assert.equal(client.response.status, 201);
const feed = await as(client.data!.token).GET("/api/v1/providers", { params: { query: { per_page: 10 } } });
assert.equal(feed.response.status, 200);
console.log("typescript client smoke: 1 passed, 0 failed");
