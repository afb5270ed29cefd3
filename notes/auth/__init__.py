"""Sign-in glue for django-allauth: the adapters that apply the sign-up policy and the
single sign-on rules, and the two-factor requirement for staff. Interface layer: it calls
services and permissions, like the views (docs/SSO.md)."""
