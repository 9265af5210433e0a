/** The Users page's address: search, filters and page number. */
import type { SupportRole } from "./api/client";
import { paths } from "./paths";
import { isRole } from "./roles";

type Status = "active" | "inactive";
type Type = "api" | "support";

export interface UserFilters {
  q: string;
  status: Status | "";
  type: Type | "";
  role: SupportRole | "";
}

/** The filters in a Users address; anything unrecognised is ignored. */
export function filtersFrom(query: URLSearchParams): UserFilters & { page: number } {
  const status = query.get("status");
  const type = query.get("type");
  const role = query.get("role");
  const page = Number(query.get("page") ?? "1");
  return {
    q: (query.get("q") ?? "").trim(),
    status: status === "active" || status === "inactive" ? status : "",
    type: type === "api" || type === "support" ? type : "",
    role: isRole(role) ? role : "",
    page: Number.isInteger(page) && page >= 1 ? page : 1,
  };
}

/** The Users address for these filters and page (empty filters and page 1 left out). */
export function usersUrl(filters: UserFilters, page = 1): string {
  const query = new URLSearchParams();
  if (filters.q) query.set("q", filters.q);
  if (filters.status) query.set("status", filters.status);
  if (filters.type) query.set("type", filters.type);
  if (filters.role) query.set("role", filters.role);
  if (page > 1) query.set("page", String(page));
  const search = query.toString();
  return search ? `${paths.users}?${search}` : paths.users;
}

