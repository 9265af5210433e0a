/** Where pages live, and which return addresses are safe to follow. */

export const paths = {
  signIn: (returnTo?: string) => (returnTo ? `/sign-in?return_to=${encodeURIComponent(returnTo)}` : "/sign-in"),
  signOut: "/sign-out",
  signedOut: "/signed-out",
  notAuthorised: "/not-authorised",
  users: "/users",
  addUser: "/users/new",
  checkNewUser: "/users/new/check",
  user: (id: string) => `/users/${encodeURIComponent(id)}`,
  changeUser: (id: string) => `/users/${encodeURIComponent(id)}/change`,
  checkChanges: (id: string) => `/users/${encodeURIComponent(id)}/change/check`,
  deleteUser: (id: string) => `/users/${encodeURIComponent(id)}/delete`,
  activity: "/activity",
  account: "/account",
  apiClients: "/api-clients",
  addApiClient: "/api-clients/new",
  apiClient: (id: string) => `/api-clients/${encodeURIComponent(id)}`,
  changeApiClient: (id: string) => `/api-clients/${encodeURIComponent(id)}/change`,
  rotateApiClient: (id: string) => `/api-clients/${encodeURIComponent(id)}/rotate`,
  revokeApiClient: (id: string) => `/api-clients/${encodeURIComponent(id)}/revoke`,
  deleteApiClient: (id: string) => `/api-clients/${encodeURIComponent(id)}/delete`,
  swaggerUi: "/swagger-ui/",
  oidcStart: (returnTo: string) => `/api/v1/auth/oidc/start?return_to=${encodeURIComponent(returnTo)}`,
} as const;

/** Paths the browser must load itself rather than the SPA's router. */
export function isServerPath(pathname: string): boolean {
  return /^\/(api|swagger-ui|api-docs|assets|health|metrics)(\/|$)/.test(pathname);
}

/**
 * A `return_to` worth following: a path of this SPA (not `//host`, not
 * `/\host`, not the API), else the users page.
 */
export function safeReturnTo(value: string | null | undefined): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.includes("\\")) return paths.users;
  if (/[\u0000-\u001f\u007f]/.test(value)) return paths.users;
  const pathname = value.split(/[?#]/, 1)[0] ?? "";
  if (isServerPath(pathname) || pathname === paths.signIn() || pathname === paths.signOut) return paths.users;
  return value;
}
