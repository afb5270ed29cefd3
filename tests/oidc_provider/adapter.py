from allauth.idp.oidc.adapter import DefaultOIDCAdapter


class GroupsClaimAdapter(DefaultOIDCAdapter):
    """Adds a "groups" claim (the user's Django groups), as Keycloak or Authentik would."""

    def get_claims(self, purpose, user, client, scopes, email=None, **kwargs):
        claims = super().get_claims(purpose, user, client, scopes, email=email, **kwargs)
        claims["groups"] = sorted(user.groups.values_list("name", flat=True))
        return claims
