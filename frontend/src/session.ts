/**
 * Who is signed in. The access token lives in this module's memory only:
 * never in web storage (local or session) or a cookie set from script. A
 * reload forgets it; `resume()` then asks the API to swap its HttpOnly
 * refresh cookie for a new one.
 */
import { api, useCredentials, type AccessToken, type AuthConfig, type User } from "./api/client";
import { DEFAULT_SERVICE_NAME } from "./titles";

let accessToken: string | null = null;
let expiresAt = 0;
let currentUser: User | null = null;
let refreshing: Promise<boolean> | null = null;

let config: AuthConfig = { dev_sign_in: false, oidc: false, service_name: DEFAULT_SERVICE_NAME };

/** Refresh this long before the token expires. */
const EARLY_REFRESH_MS = 60_000;

export function authConfig(): AuthConfig {
  return config;
}

export function serviceName(): string {
  return config.service_name || DEFAULT_SERVICE_NAME;
}

export function signedInUser(): User | null {
  return accessToken ? currentUser : null;
}

export function updateSignedInUser(user: User): void {
  if (currentUser?.id === user.id) currentUser = user;
}

/** Remembers a token from any sign-in (dev sign-in now, refresh later). */
export function signedIn(token: AccessToken): void {
  accessToken = token.access_token;
  expiresAt = Date.now() + token.expires_in * 1000;
  currentUser = token.user;
}

export function forget(): void {
  accessToken = null;
  expiresAt = 0;
  currentUser = null;
}

/**
 * `POST /api/v1/auth/refresh` (cookie only). Any answer but 200 means "not
 * signed in". It is called with plain fetch rather than the typed client, so
 * that its 401 (no session yet) is an answer here, not the client's "go and
 * sign in" redirect; its answer has the `AccessToken` shape of dev sign-in.
 */
export function refresh(): Promise<boolean> {
  refreshing ??= (async () => {
    try {
      const response = await fetch("/api/v1/auth/refresh", { method: "POST", credentials: "same-origin" });
      if (response.status !== 200) return false;
      const token = (await response.json()) as Partial<AccessToken> & Pick<AccessToken, "access_token" | "expires_in">;
      accessToken = token.access_token;
      expiresAt = Date.now() + token.expires_in * 1000;
      if (token.user) {
        currentUser = token.user;
      } else {
        const { data } = await api.GET("/api/v1/me");
        if (!data) return false;
        currentUser = data;
      }
      return true;
    } catch {
      return false;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** `POST /api/v1/auth/sign-out`, whose failure does not matter: the token is forgotten anyway. */
export async function signOut(): Promise<void> {
  forget();
  try {
    await fetch("/api/v1/auth/sign-out", { method: "POST", credentials: "same-origin" });
  } catch {
    // Nothing to do: the in-memory token is gone, which is what signing out means here.
  }
}

/** Loads the sign-in configuration and resumes a session if the cookie allows. */
export async function start(): Promise<void> {
  useCredentials({
    async token() {
      if (accessToken && Date.now() > expiresAt - EARLY_REFRESH_MS) await refresh();
      return accessToken;
    },
    rejected: forget,
  });
  const { data } = await api.GET("/api/v1/auth/config");
  if (data) config = data;
  await refresh();
}
