/**
 * What the SPA's form pages share, so that a form page is its content and
 * what it does with the API's answer:
 *
 * - the layout: in the two-thirds column, the error summary (linking to the
 *   fields on the page), the `h1` (the page's title, with its caption), then
 *   the page's content, whose radios' conditional reveals are kept in step;
 * - sending: the browser's own submit is stopped and the form's entries read;
 *   one submission at a time (a submit while one is in flight does nothing);
 *   the answer is drawn only if the person is still on the page they sent it
 *   from; anything the handler does not deal with becomes the right page
 *   (`fail`);
 * - errors kept for the form's next drawing, when an answer on a later page
 *   sends the person back to the form.
 */
import { mountReveals } from "../components/fields";
import { errorSummary, heading, twoThirds } from "../components/govuk";
import { html, type Interpolation } from "../html";
import type { Page, Redirect } from "../page";
import { currentVisit, fail, show } from "../router";
import { summaryItems, type FieldErrors } from "./errors";

/** A submitted form, as its handler sees it. */
export interface Submission {
  /** The form's entries. */
  entries: FormData;
  /**
   * The text sent as `name`: the value of the button that submitted the form
   * when the button has that name, else the field's ("" when there is none).
   */
  text(name: string): string;
  /** Draws the answer's page, unless the person has gone elsewhere since submitting. */
  show(page: Page | Redirect): void;
}

export interface FormPageOptions {
  /** The page's title, which is also its `h1`. */
  title: string;
  /** The caption above the `h1`. */
  caption?: string | undefined;
  nav?: Page["nav"];
  backLink?: string | undefined;
  /** Errors to show: the error summary, above the `h1`. */
  errors?: FieldErrors | undefined;
  /** The ids of the fields on the page, so that the summary links to them. */
  fields?: readonly string[] | undefined;
  /** What follows the `h1` in the two-thirds column, usually the form. */
  content?: Interpolation;
  /** What follows the two-thirds column (a full-width table, more rows). */
  after?: Interpolation;
  /** What to do with a submission of any of the page's forms. */
  send(submission: Submission): Promise<void>;
}

/**
 * The form pages of one view module (add user's form, check and save),
 * sharing one submission at a time and the errors kept between them.
 */
export class FormFlow {
  #sending = false;
  #kept: FieldErrors = [];

  /** Keeps errors to show once, when the form is next drawn (after navigating to it). */
  keepErrors(errors: FieldErrors): void {
    this.#kept = errors;
  }

  /** The kept errors, once: the next drawing has none unless more are kept. */
  takeErrors(): FieldErrors {
    const errors = this.#kept;
    this.#kept = [];
    return errors;
  }

  page(options: FormPageOptions): Page {
    const errors = options.errors ?? [];
    return {
      title: options.title,
      nav: options.nav,
      backLink: options.backLink,
      content: html`${twoThirds(html`${errors.length ? errorSummary(summaryItems(errors, options.fields ?? [])) : ""}
  ${heading(options.title, options.caption)}
  ${options.content}`)}
${options.after}`,
      mount: (main) => {
        mountReveals(main);
        for (const form of main.querySelectorAll("form")) {
          form.addEventListener("submit", (event) => void this.#submit(form, event, options.send));
        }
      },
    };
  }

  async #submit(form: HTMLFormElement, event: SubmitEvent, send: FormPageOptions["send"]): Promise<void> {
    event.preventDefault();
    if (this.#sending) return;
    this.#sending = true;
    const visit = currentVisit();
    const entries = new FormData(form);
    const submitter = event.submitter;
    try {
      await send({
        entries,
        text: (name) =>
          submitter instanceof HTMLButtonElement && submitter.name === name ? submitter.value : String(entries.get(name) ?? ""),
        show: (page) => show(page, visit),
      });
    } catch (e) {
      fail(e, visit);
    } finally {
      this.#sending = false;
    }
  }
}
