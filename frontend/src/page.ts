/** What a view returns, and how the frame around it (navigation, title) is drawn. */
import type { SafeHtml } from "./html";

export interface Page {
  /** The page's part of `document.title`; never personal data. */
  title: string;
  content: SafeHtml;
  /** Shown above `main`, as GOV.UK pages place back links. */
  backLink?: string | undefined;
  /** Which service navigation item is current. */
  nav?: "users" | "api-clients" | "activity" | "account" | undefined;
  /** Attaches behaviour (form submission) once the content is in the page. */
  mount?: ((main: HTMLElement) => void) | undefined;
}

/** A view's answer that sends the browser elsewhere (replacing this history entry). */
export class Redirect {
  constructor(readonly to: string) {}
}

export const redirect = (to: string): Redirect => new Redirect(to);
