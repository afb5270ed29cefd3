"""People forms: invitations, role changes, accepting an invitation, my account.

They shape input; ``notes.services.people`` checks every rule again.
"""

from django import forms

from notes.lib.limits import MAX_DISPLAY_NAME_LENGTH
from notes.models import Invitation, NotificationSettings
from notes.services.people import ROLE_CHOICES, sorted_time_zones


class InviteForm(forms.Form):
    emails = forms.CharField(
        label="E-mail addresses",
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        help_text="One a line, or separated by commas.",
        error_messages={"required": "Enter at least one e-mail address."},
    )
    role = forms.ChoiceField(label="Role", choices=Invitation.Role.choices, initial=Invitation.Role.READER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        choices=ROLE_CHOICES, error_messages={"invalid_choice": "Choose one of the roles."}
    )


class AcceptForm(forms.Form):
    username = forms.CharField(
        max_length=150,
        help_text="Letters, digits and @ . + - _ only; you sign in with it.",
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    display_name = forms.CharField(
        label="Display name",
        max_length=MAX_DISPLAY_NAME_LENGTH,
        required=False,
        help_text="How others see you, e.g. your full name. Your username when left empty.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password_again = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", "The two passwords differ; type the same one twice.")
        return data


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label="Display name",
        max_length=MAX_DISPLAY_NAME_LENGTH,
        required=False,
        help_text="How others see you. Your username when left empty.",
    )
    time_zone = forms.ChoiceField(
        label="Time zone",
        help_text="Every date and time on the site is shown in it.",
        error_messages={"invalid_choice": "Choose a time zone from the list."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(name, name) for name in sorted_time_zones()]


class AccountNotificationsForm(forms.Form):
    email = forms.ChoiceField(
        label="E-mail me about my notifications",
        choices=NotificationSettings.Email.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how e-mail should come.",
            "invalid_choice": "Choose one of the three.",
        },
    )
    show_spoilers = forms.BooleanField(
        label="Show threads on chapters past my reading-group progress", required=False
    )
    # Reviewers only (the page shows it to them); absent, the setting stays as it is.
    new_requests = forms.ChoiceField(
        label="Tell me of requests submitted for review",
        choices=NotificationSettings.NewRequests.choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Choose all requests, those on what you watch, or none."},
    )


class SignOutEverywhereForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
