"""``python -m tests.oidc_provider.seed <redirect-uri>``: the provider's people and the
wiki's client. Run with DJANGO_SETTINGS_MODULE=tests.oidc_provider.settings."""

import sys

import django

CLIENT_ID = "chapterwise"
CLIENT_SECRET = "provider-test-secret"  # noqa: S105
PASSWORD = "provider-password"  # noqa: S105


def main(redirect_uri: str) -> None:
    django.setup()
    from allauth.account.models import EmailAddress
    from allauth.idp.oidc.models import Client
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group, User

    editors = Group.objects.create(name="wiki-editors")
    # Sam's address is verified at the provider; Una's is not.
    for username, verified in (("sam", True), ("una", False)):
        user = User.objects.create_user(username, f"{username}@example.com", PASSWORD)
        EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
        user.groups.add(editors)
    client = Client(id=CLIENT_ID, name="Chapterwise", secret=make_password(CLIENT_SECRET), skip_consent=True)
    client.set_redirect_uris([redirect_uri])
    client.set_scopes(["openid", "profile", "email"])
    client.save()


if __name__ == "__main__":
    main(sys.argv[1])
