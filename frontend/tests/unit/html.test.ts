import assert from "node:assert/strict";
import { test } from "node:test";
import { escapeHtml, html, join, SafeHtml } from "../../src/html";

test("interpolated text is escaped in content and attributes", () => {
  const name = `<script>alert("x")</script> & 'friends'`;
  assert.equal(
    html`<p title="${name}">${name}</p>`.value,
    `<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;friends&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;friends&#39;</p>`,
  );
});

test("nested html is kept as markup, not escaped twice", () => {
  const inner = html`<strong>${"a < b"}</strong>`;
  assert.equal(html`<p>${inner}</p>`.value, "<p><strong>a &lt; b</strong></p>");
});

test("arrays are joined and each plain item escaped", () => {
  assert.equal(html`<ul>${["<a>", html`<li>ok</li>`]}</ul>`.value, "<ul>&lt;a&gt;<li>ok</li></ul>");
});

test("null, undefined and false render nothing; numbers render as text", () => {
  assert.equal(html`${null}${undefined}${false}${0}${25}`.value, "025");
});

test("a backtick is escaped so no attribute can be broken out of", () => {
  assert.equal(escapeHtml("`"), "&#96;");
});

test("join escapes plain strings and keeps SafeHtml", () => {
  const joined = join(["<i>", new SafeHtml("<b>")]);
  assert.equal(joined.value, "&lt;i&gt;<b>");
});
