/** The ‘Add API client’ form's answers, and the body they make. */
import type { CreateApiClient } from "../api/client";

/** The answers as typed. */
export interface ClientAnswers {
  name?: string;
  day?: string;
  month?: string;
  year?: string;
}

/**
 * The body of `create_api_client`: the date as `YYYY-MM-DD` when any part of
 * it was given (left for the API to judge), and left out when none was, so
 * the API picks its default.
 */
export function createClientBody(answers: ClientAnswers): CreateApiClient {
  const [day, month, year] = [answers.day, answers.month, answers.year].map((part) => (part ?? "").trim());
  const body: CreateApiClient = { name: answers.name ?? "" };
  if (day || month || year) {
    const two = (part: string) => (/^\d$/.test(part) ? `0${part}` : part);
    body.expires_on = `${year}-${two(month ?? "")}-${two(day ?? "")}`;
  }
  return body;
}
