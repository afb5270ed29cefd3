"""A small OpenID Connect identity provider (django-allauth's ``allauth.idp.oidc``) that
the single sign-on browser tests start in a process of its own: a real provider on
loopback, with its own settings and SQLite file."""
