/** Start-up: GOV.UK Frontend's body classes, the session, then the routes. */
import { drawAlone, route, startRouter } from "./router";
import { redirect } from "./page";
import { paths } from "./paths";
import { start } from "./session";
import { accountView } from "./views/account";
import { activityView } from "./views/activity";
import { addApiClientView } from "./views/add-api-client";
import { apiClientDetailsView } from "./views/api-client-details";
import { apiClientsView } from "./views/api-clients";
import { changeApiClientView } from "./views/change-api-client";
import { deleteApiClientView, revokeApiClientView, rotateApiClientView } from "./views/confirm-api-client";
import { addUserView, checkNewUserView } from "./views/add-user";
import { changeUserView, checkChangesView } from "./views/change-user";
import { deleteUserView } from "./views/delete-user";
import { problemPage } from "./views/errors";
import { notAuthorisedView, signInView, signOutView, signedOutView } from "./views/sign-in";
import { userDetailsView } from "./views/user-details";
import { usersView } from "./views/users";

// The page is only drawn by this module, so these classes can be set here
// rather than by an inline script (which a strict CSP would refuse).
document.body.classList.add("js-enabled", "govuk-frontend-supported");

route("/", "public", () => redirect(paths.users));
route("/sign-in", "public", signInView);
route("/sign-out", "public", signOutView);
route("/signed-out", "public", signedOutView);
route("/not-authorised", "public", notAuthorisedView);
route("/users", "support", usersView);
route("/users/new", "editor", addUserView);
route("/users/new/check", "editor", checkNewUserView);
route("/users/:id", "support", userDetailsView);
route("/users/:id/change", "editor", changeUserView);
route("/users/:id/change/check", "editor", checkChangesView);
route("/users/:id/delete", "editor", deleteUserView);
route("/activity", "support", activityView);
route("/api-clients", "support", apiClientsView);
route("/api-clients/new", "editor", addApiClientView);
route("/api-clients/:id", "support", apiClientDetailsView);
route("/api-clients/:id/change", "editor", changeApiClientView);
route("/api-clients/:id/rotate", "editor", rotateApiClientView);
route("/api-clients/:id/revoke", "editor", revokeApiClientView);
route("/api-clients/:id/delete", "editor", deleteApiClientView);
route("/account", "support", accountView);

start().then(startRouter, (error: unknown) => {
  console.error(error);
  drawAlone(problemPage(error));
});
