/**
 * Markup built from template literals, with every interpolated value escaped
 * unless it is already `SafeHtml`. This is the only way the app makes markup:
 * `setHtml` and `appendHtml` below are the only places that turn markup into
 * elements, and they take nothing but `SafeHtml`.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** What may appear inside `${…}` of an `html` template. */
export type Interpolation = SafeHtml | string | number | false | null | undefined | readonly Interpolation[];

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "`": "&#96;",
};

/** Escapes text for use in element content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c] ?? c);
}

function render(value: Interpolation): string {
  if (value instanceof SafeHtml) return value.value;
  if (value === null || value === undefined || value === false) return "";
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}

/** The tagged template: `html\`<p>${name}</p>\`` escapes `name`. */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0] ?? "";
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? "");
  });
  return new SafeHtml(out);
}

/** Joins pieces of markup (escaping any plain strings among them). */
export function join(parts: readonly Interpolation[]): SafeHtml {
  return new SafeHtml(render(parts));
}

/** Replaces an element's content with trusted markup. */
export function setHtml(element: Element, markup: SafeHtml): void {
  element.innerHTML = markup.value;
}

/** Adds trusted markup at the end of an element's content (a list's next page). */
export function appendHtml(element: Element, markup: SafeHtml): void {
  element.insertAdjacentHTML("beforeend", markup.value);
}
