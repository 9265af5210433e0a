/**
 * Turning the API's problem details into what a GOV.UK form shows: an error
 * summary (in the API's order, linking to each field on the page) and an
 * inline message by each field.
 */
import type { FieldError, Problem } from "../api/client";
import type { ErrorSummaryItem } from "../components/govuk";

export type FieldErrors = readonly FieldError[];

/** The message to show by `field`, if any (the first, if several). */
export function messageFor(errors: FieldErrors, field: string): string | undefined {
  return errors.find((e) => e.field === field)?.message;
}

/**
 * Error summary items: a link to `#field` when that field is on the page,
 * plain text otherwise (a guard's sentence, or a field the form lacks).
 */
export function summaryItems(errors: FieldErrors, fieldsOnPage: readonly string[]): ErrorSummaryItem[] {
  return errors.map((e) => ({ text: e.message, href: fieldsOnPage.includes(e.field) ? `#${e.field}` : undefined }));
}

/** A problem's field errors, or its `detail` as one error that belongs to no field. */
export function problemErrors(problem: Pick<Problem, "detail" | "errors">): FieldError[] {
  if (problem.errors && problem.errors.length > 0) return problem.errors;
  return [{ field: "", message: problem.detail }];
}

/** What the page says when someone else changed the user first (412). */
export const CHANGED_BY_SOMEONE_ELSE =
  "Someone else changed this user while you were making your changes. Check the user’s details as they are now, then make your changes again.";

/** What the delete page says when the user changed since it was opened (412). */
export const CHANGED_BEFORE_DELETE =
  "Someone else changed this user since you opened this page. Check the user’s details as they are now, then try again.";
