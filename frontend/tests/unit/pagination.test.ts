import assert from "node:assert/strict";
import { test } from "node:test";
import { pageItems, pagination } from "../../src/components/pagination";
import { filtersFrom, usersUrl } from "../../src/users-query";

test("one page needs no pagination", () => {
  assert.deepEqual(pageItems(1, 1), []);
  assert.equal(pagination(1, 0, String).value, "");
});

test("few pages are all shown", () => {
  assert.deepEqual(pageItems(1, 3), [1, 2, 3]);
  assert.deepEqual(pageItems(2, 3), [1, 2, 3]);
});

test("many pages show the first, the last, the current and its neighbours, with ellipses", () => {
  assert.deepEqual(pageItems(1, 10), [1, 2, "ellipsis", 10]);
  assert.deepEqual(pageItems(5, 10), [1, "ellipsis", 4, 5, 6, "ellipsis", 10]);
  assert.deepEqual(pageItems(10, 10), [1, "ellipsis", 9, 10]);
  // a gap of a single page shows that page rather than an ellipsis
  assert.deepEqual(pageItems(4, 10), [1, 2, 3, 4, 5, "ellipsis", 10]);
});

test("the markup marks the current page and links previous and next", () => {
  const markup = pagination(2, 3, (page) => `/users?page=${page}`).value;
  assert.match(markup, /<nav class="govuk-pagination" aria-label="Pagination">/);
  assert.match(markup, /href="\/users\?page=1" rel="prev"/);
  assert.match(markup, /href="\/users\?page=3" rel="next"/);
  assert.match(markup, /<li class="govuk-pagination__item govuk-pagination__item--current">\s*<a class="govuk-link govuk-pagination__link" href="\/users\?page=2" aria-label="Page 2" aria-current="page">2<\/a>/);
});

test("the users address keeps search and filters, leaving out the defaults", () => {
  assert.equal(usersUrl({ q: "", status: "", type: "", role: "" }), "/users");
  assert.equal(usersUrl({ q: "ada love", status: "inactive", type: "api", role: "" }, 2), "/users?q=ada+love&status=inactive&type=api&page=2");
  assert.equal(usersUrl({ q: "", status: "", type: "", role: "editor" }), "/users?role=editor");
  assert.deepEqual(filtersFrom(new URLSearchParams("q=%20ada%20&status=bogus&type=support&role=owner&page=0")), { q: "ada", status: "", type: "support", role: "", page: 1 });
  assert.equal(filtersFrom(new URLSearchParams("role=administrator")).role, "administrator");
});
