"""Webhook forms: they shape input; the services check every rule (the address above all)."""

from django import forms

from notes.lib.webhook_urls import MAX_WEBHOOK_URL_LENGTH
from notes.models import Book, WebhookEndpoint
from notes.models.webhooks import WebhookEvent


class WebhookSettingsForm(forms.Form):
    events = forms.MultipleChoiceField(
        label="Events to send",
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one event to send."},
    )
    format = forms.ChoiceField(
        label="Format",
        choices=WebhookEndpoint.Format.choices,
        widget=forms.RadioSelect,
        initial=WebhookEndpoint.Format.STANDARD,
    )


class WebhookEndpointForm(WebhookSettingsForm):
    url = forms.CharField(
        label="Address (URL)",
        max_length=MAX_WEBHOOK_URL_LENGTH,
        widget=forms.URLInput(
            attrs={
                "placeholder": "https://hooks.example.com/wiki",
                "autocomplete": "off",
                "aria-describedby": "url-help",
            }
        ),
        help_text="An https:// address on the public internet; it gets a POST for each event.",
    )
    book = forms.ModelChoiceField(
        label="For",
        queryset=Book.objects.order_by("title"),
        required=False,
        empty_label="The whole wiki",
    )

    field_order = ["url", "book", "events", "format"]
