/**
 * An API client's token, held in memory between the answer that issued it and
 * the page that shows it, then forgotten: it is shown once, never stored in
 * the browser, and a reload or a second visit does not show it again.
 */
let held: { clientId: string; token: string } | null = null;

export function holdToken(clientId: string, token: string): void {
  held = { clientId, token };
}

/** The token just issued for `clientId`, once. */
export function takeToken(clientId: string): string | null {
  if (!held || held.clientId !== clientId) return null;
  const { token } = held;
  held = null;
  return token;
}
