/**
 * The typed API client. Every call goes through openapi-fetch with the
 * generated `paths`, so request and response types come from the OpenAPI
 * document, never from hand-written interfaces.
 */
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";

export type User = components["schemas"]["User"];
export type UserDraft = components["schemas"]["UserDraft"];
export type UserPage = components["schemas"]["UserPage"];
export type Problem = components["schemas"]["Problem"];
export type FieldError = components["schemas"]["FieldError"];
export type AuthConfig = components["schemas"]["AuthConfig"];
export type AccessToken = components["schemas"]["AccessToken"];
export type EditableField = components["schemas"]["EditableField"];
export type CreateUser = components["schemas"]["CreateUser"];
export type UpdateUser = components["schemas"]["UpdateUser"];
export type ActivityEntry = components["schemas"]["ActivityEntry"];
export type ActivityPage = components["schemas"]["ActivityPage"];
export type ApiClient = components["schemas"]["ApiClient"];
export type ApiClientStatus = components["schemas"]["ApiClientStatus"];
export type CreateApiClient = components["schemas"]["CreateApiClient"];
export type UpdateApiClient = components["schemas"]["UpdateApiClient"];
export type ApiClientScope = components["schemas"]["ApiClientScope"];
export type ApiClientUsage = components["schemas"]["ApiClientUsage"];
export type ApiClientUsageDay = components["schemas"]["ApiClientUsageDay"];
export type SupportRole = components["schemas"]["SupportRole"];

/** Thrown when the API says the caller is not signed in (401). */
export class SignInRequired extends Error {
  constructor() {
    super("Sign in required");
    this.name = "SignInRequired";
  }
}

/** Thrown for answers the page cannot deal with (5xx, network, 400…). */
export class ServiceProblem extends Error {
  constructor(readonly problem: Partial<Problem> | undefined, readonly status: number) {
    super(problem?.detail ?? `The API answered ${status}`);
    this.name = "ServiceProblem";
  }
}

/** The API has no such thing (404), or no longer (deleted users). */
export class NotFound extends Error {
  constructor() {
    super("Not found");
    this.name = "NotFound";
  }
}

/**
 * The API refused the signed-in account this action (403): an API user on a
 * support user's page, or a role that does not allow it (`detail` says which).
 */
export class NotAuthorised extends Error {
  constructor(readonly detail?: string) {
    super(detail ?? "Not authorised");
    this.name = "NotAuthorised";
  }
}

/** The error to throw for an answer a view does not handle itself. */
export function unexpected(response: Response, problem?: unknown): Error {
  if (response.status === 404) return new NotFound();
  if (response.status === 403) return new NotAuthorised(isProblem(problem) ? problem.detail : undefined);
  return new ServiceProblem(isProblem(problem) ? problem : undefined, response.status);
}

export function isProblem(value: unknown): value is Problem {
  return typeof value === "object" && value !== null && "status" in value && "detail" in value;
}

/** What the client needs from the session, given by `session.ts`. */
export interface Credentials {
  /** The bearer token to send now, refreshing it first if it is about to expire. */
  token(): Promise<string | null>;
  /** The API refused the token: forget it. */
  rejected(): void;
}

let credentials: Credentials = { token: async () => null, rejected: () => {} };

export function useCredentials(c: Credentials): void {
  credentials = c;
}

const isAuthEndpoint = (url: string): boolean => new URL(url, location.href).pathname.startsWith("/api/v1/auth/");

const auth: Middleware = {
  async onRequest({ request }) {
    if (isAuthEndpoint(request.url)) return undefined;
    const token = await credentials.token();
    if (token) request.headers.set("Authorization", `Bearer ${token}`);
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401 && !isAuthEndpoint(request.url)) {
      credentials.rejected();
      throw new SignInRequired();
    }
    return undefined;
  },
};

export const api = createClient<paths>({ baseUrl: "" });
api.use(auth);

/** The ETag value to send back as `If-Match` for a user. */
export function ifMatch(user: Pick<User, "version">): string {
  return `"${user.version}"`;
}
