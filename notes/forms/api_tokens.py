"""The API token form; the service checks the name, the scopes and the lifetime again."""

from django import forms

from notes.models.api import ApiToken
from notes.services.api_tokens import DEFAULT_LIFETIME_DAYS, MAX_LIFETIME_DAYS, MAX_NAME_LENGTH

SCOPE_HELP = {
    "read": "read books, chapters, history, change requests, threads",
    "write": "propose, revise, submit and withdraw changes; comment",
    "review": "approve, request changes, reject",
    "moderate": "hide comments, lock threads",
}


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=MAX_NAME_LENGTH, help_text="What it is for, e.g. “CI of the notes repo”."
    )
    scopes = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one scope."},
    )
    lifetime_days = forms.IntegerField(
        label="Expires after (days)",
        min_value=1,
        max_value=MAX_LIFETIME_DAYS,
        initial=DEFAULT_LIFETIME_DAYS,
    )

    def __init__(self, *args, scopes: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(ApiToken.Scope.choices)
        self.fields["scopes"].choices = [(scope, f"{labels[scope]}: {SCOPE_HELP[scope]}") for scope in scopes]
        self.fields["scopes"].initial = ["read"] if "read" in scopes else []
