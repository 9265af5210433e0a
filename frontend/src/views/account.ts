/** Your account: the signed-in user's own details, read-only. */
import { api, unexpected } from "../api/client";
import { heading, summaryList, twoThirds } from "../components/govuk";
import { lastSignedIn } from "../format";
import { html } from "../html";
import type { Page } from "../page";
import { roleName } from "../roles";
import { updateSignedInUser } from "../session";

export async function accountView(): Promise<Page> {
  const { data: me, error, response } = await api.GET("/api/v1/me");
  if (!me) throw unexpected(response, error);
  updateSignedInUser(me);
  return {
    title: "Your account",
    nav: "account",
    content: twoThirds(html`${heading("Your account")}
  ${summaryList([
    { key: "First name", value: me.first_name },
    { key: "Last name", value: me.last_name },
    { key: "Email address", value: me.email },
    { key: "Type of account", value: me.api_user ? "API user" : "Support user" },
    ...(me.api_user ? [] : [{ key: "Role", value: roleName(me.support_role) }]),
  ])}
  <p class="govuk-body">${lastSignedIn(me.last_signed_in_at)}</p>
  <p class="govuk-body">Your name and email address come from your DfE Sign-in account. To change anything else about your account, such as your role, ask an administrator.</p>`),
  };
}
