"""Smoke test of a Python client generated from openapi/openapi.json with
openapi-python-client, against a live server (USERS_API_URL): sign in (dev)
as an editor, list, create with a role, change with If-Match, read a 422's
problem details, delete; a viewer's change refused with 403; then as an API
user create an API client and read providers with its token.

Run by tests/clients/run.py, which generates the client into a temporary
folder on sys.path first.
"""

import os
import uuid

from users_api_client import AuthenticatedClient, Client
from users_api_client.api.api_clients import create_api_client
from users_api_client.api.auth import dev_sign_in
from users_api_client.api.providers import list_providers
from users_api_client.api.users import create_user, delete_user, get_user, list_users, update_user
from users_api_client.models import (
    CreateApiClient,
    CreateUser,
    DevSignIn,
    Problem,
    SupportRole,
    UpdateUser,
    User,
    UserPage,
)

BASE = os.environ["USERS_API_URL"]


def token_for(email):
    response = dev_sign_in.sync_detailed(client=Client(base_url=BASE), body=DevSignIn(email=email))
    assert response.status_code == 200, response.content
    return response.parsed.access_token


def main():
    support = AuthenticatedClient(base_url=BASE, token=token_for("grace.hopper@education.gov.uk"))  # an editor

    page = list_users.sync(client=support, per_page=5)
    assert isinstance(page, UserPage) and page.total >= 5, page

    email = f"smoke.{uuid.uuid4().hex[:8]}@education.gov.uk"
    created = create_user.sync_detailed(
        client=support,
        body=CreateUser(
            first_name="Smoke", last_name="Test", email=email.upper(), api_user=False, support_role=SupportRole.EDITOR
        ),
    )
    assert created.status_code == 201, created.content
    user = created.parsed
    assert isinstance(user, User) and user.email == email and user.version == 1
    assert user.support_role == SupportRole.EDITOR and user.can_delete, user
    assert "support_role" in user.editable_fields, user.editable_fields

    viewer = AuthenticatedClient(base_url=BASE, token=token_for("dorothy.vaughan@education.gov.uk"))
    refused = update_user.sync_detailed(id=user.id, client=viewer, body=UpdateUser(last_name="Viewed"))
    assert refused.status_code == 403 and isinstance(refused.parsed, Problem), refused.content
    assert refused.parsed.detail == "You do not have permission to make changes", refused.parsed
    seen = get_user.sync(id=user.id, client=viewer)
    assert seen.editable_fields == [] and seen.can_delete is False, seen

    fetched = get_user.sync_detailed(id=user.id, client=support)
    etag = fetched.headers["etag"]
    changed = update_user.sync_detailed(id=user.id, client=support, body=UpdateUser(last_name="Tested"), if_match=etag)
    assert changed.status_code == 200 and changed.parsed.last_name == "Tested", changed.content
    stale = update_user.sync_detailed(id=user.id, client=support, body=UpdateUser(last_name="Again"), if_match=etag)
    assert stale.status_code == 412, stale.content

    invalid = create_user.sync_detailed(
        client=support, body=CreateUser(first_name=" ", last_name="Test", email="smoke@gmail.com", api_user=False)
    )
    assert invalid.status_code == 422 and isinstance(invalid.parsed, Problem), invalid.content
    messages = [(e.field, e.message) for e in invalid.parsed.errors]
    assert messages == [
        ("first_name", "Enter first name"),
        ("email", "Enter a Department for Education email address in the correct format, like name@education.gov.uk"),
    ], messages

    deleted = delete_user.sync_detailed(id=user.id, client=support)
    assert deleted.status_code == 204, deleted.content
    assert get_user.sync_detailed(id=user.id, client=support).status_code == 404

    api_user = AuthenticatedClient(base_url=BASE, token=token_for("katherine.johnson@education.gov.uk"))
    made = create_api_client.sync_detailed(client=api_user, body=CreateApiClient(name=f"Smoke {uuid.uuid4().hex[:6]}"))
    assert made.status_code == 201, made.content
    client_token = made.parsed.token
    feed = list_providers.sync_detailed(client=AuthenticatedClient(base_url=BASE, token=client_token), per_page=10)
    assert feed.status_code == 200, feed.content
    print("python client smoke: 1 passed, 0 failed")


if __name__ == "__main__":
    main()
