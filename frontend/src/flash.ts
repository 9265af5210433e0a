/**
 * One-off success messages: set before navigating, shown once by the page at
 * `path`, then gone (so back/forward and reloads do not repeat them).
 */
import { successBanner } from "./components/govuk";
import { html, type Interpolation, type SafeHtml } from "./html";

interface Flash {
  path: string;
  heading: string;
  body?: Interpolation;
}

let pending: Flash | null = null;

export function flash(path: string, heading: string, body?: Interpolation): void {
  pending = { path, heading, body };
}

/** The banner for `path`, if one is waiting for it. */
export function takeFlash(path: string): SafeHtml {
  if (!pending || pending.path !== path) return html``;
  const { heading, body } = pending;
  pending = null;
  return successBanner(heading, body);
}
