/**
 * API clients' scopes (contract §10), in one place: how each is named on the
 * page, and which ones the signed-in user may give. Only an administrator
 * gives `scim` (and the API allows it only on an administrator's client).
 */
import type { ApiClientScope } from "./api/client";
import type { Caller } from "./roles";

export interface ScopeOption {
  value: ApiClientScope;
  text: string;
}

/** The scopes, in the order the scopes question offers them. */
export const SCOPES: readonly ScopeOption[] = [
  { value: "providers:read", text: "Read training provider data" },
  { value: "api_clients:manage", text: "Manage its own API clients" },
  { value: "scim", text: "Provision users (SCIM)" },
];

/** What a new client may do unless the person adding it says otherwise (the API's default too). */
export const DEFAULT_SCOPES: readonly ApiClientScope[] = ["providers:read"];

/** Scopes as the page names them (`Read training provider data`), in the order the question offers them. */
export function scopeNames(scopes: readonly string[]): string[] {
  const known = SCOPES.filter((option) => scopes.includes(option.value)).map((option) => option.text);
  return [...known, ...scopes.filter((scope) => !isScope(scope))];
}

export function isScope(value: unknown): value is ApiClientScope {
  return SCOPES.some((option) => option.value === value);
}

/** The scopes `caller` may give: every one for an administrator, all but `scim` for an editor. */
export function scopesToOffer(caller: Caller): readonly ScopeOption[] {
  return caller?.support_role === "administrator" ? SCOPES : SCOPES.filter((option) => option.value !== "scim");
}
