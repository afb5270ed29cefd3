"""The notification settings form; the service checks the choice again."""

from django import forms

from notes.models import NotificationSettings


class NotificationSettingsForm(forms.Form):
    email = forms.ChoiceField(
        label="E-mail me about my notifications",
        choices=NotificationSettings.Email.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how e-mail should come.",
            "invalid_choice": "Choose one of the three.",
        },
    )
