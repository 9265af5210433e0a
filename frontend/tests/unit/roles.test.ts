import assert from "node:assert/strict";
import { test } from "node:test";
import { canMakeChanges, refusal, roleName, ROLES } from "../../src/roles";

const viewer = { api_user: false, support_role: "viewer" } as const;
const editor = { api_user: false, support_role: "editor" } as const;
const administrator = { api_user: false, support_role: "administrator" } as const;

test("each role is named and described once, least privileged first", () => {
  assert.deepEqual(ROLES, [
    { value: "viewer", text: "Viewer", hint: "Can view users, API clients and activity" },
    { value: "editor", text: "Editor", hint: "Can also add, change and delete users and API clients" },
    { value: "administrator", text: "Administrator", hint: "Can also add, change and delete administrators" },
  ]);
  assert.equal(roleName("administrator"), "Administrator");
  assert.equal(roleName(null), "API user");
  assert.equal(roleName(undefined), "API user");
});

test("editors and administrators make changes; viewers, API users and nobody do not", () => {
  assert.deepEqual([viewer, editor, administrator].map(canMakeChanges), [false, true, true]);
  assert.equal(canMakeChanges({ api_user: true, support_role: null }), false);
  assert.equal(canMakeChanges(null), false);
});

test("no editable fields means no permission, with the API's sentence for why", () => {
  assert.equal(refusal({ editable_fields: ["api_user", "active"] }, editor), null);
  assert.equal(refusal({ editable_fields: [] }, viewer), "You do not have permission to make changes");
  assert.equal(refusal({ editable_fields: [] }, editor), "Only an administrator can add, change or delete an administrator");
});
