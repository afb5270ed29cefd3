"""The login form: allauth's, under the field names the site has always posted."""

from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.conf import settings


class LoginForm(AllauthLoginForm):
    """allauth's login form (username or e-mail address, and password).

    Its "login" field is posted as ``username``, as Django's login form did: password
    managers keep filling it, scripts and bookmarked forms keep working, and django-axes
    reads the attempted name from that field to lock it out (``wiki.auth.client_username``).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Username or e-mail"
        self.fields["login"].widget.attrs.update(
            {"autocomplete": "username", "autofocus": True, "placeholder": ""}
        )
        if "password" in self.fields:
            self.fields["password"].widget.attrs["placeholder"] = ""
            self.fields["password"].help_text = ""

    def add_prefix(self, field_name: str) -> str:
        return "username" if field_name == "login" else super().add_prefix(field_name)

    def clean(self):
        if not settings.SSO_LOCAL_PASSWORDS:
            raise forms.ValidationError("Passwords are turned off here: sign in with single sign-on.")
        return super().clean()
