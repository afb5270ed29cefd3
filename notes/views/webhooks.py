"""Webhook pages (admins only): the list and the register form, and one endpoint with its
secret, its settings, its actions and its delivery log."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from notes import permissions
from notes.forms.webhooks import WebhookEndpointForm, WebhookSettingsForm
from notes.permissions import permission_view, require
from notes.selectors import webhooks as selectors
from notes.services import webhooks as services
from notes.services.webhooks import WebhookAddressRefused, WebhookError


def _require_manager(request) -> None:
    require(request, permissions.can_manage_webhooks(request.user))


@permission_view
def webhook_list(request):
    _require_manager(request)
    form = WebhookEndpointForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                endpoint = services.webhook_endpoint_create(
                    actor=request.user,
                    url=form.cleaned_data["url"],
                    book=form.cleaned_data["book"],
                    events=form.cleaned_data["events"],
                    format=form.cleaned_data["format"],
                )
            except WebhookError as error:
                form.add_error("url" if isinstance(error, WebhookAddressRefused) else None, str(error))
            else:
                messages.success(
                    request, "Webhook registered. Give its secret to the receiver so it can check signatures."
                )
                return redirect(endpoint)
        status = 400
    else:
        status = 200
    context = {"endpoints": list(selectors.webhook_endpoints()), "form": form}
    return render(request, "notes/webhooks/list.html", context, status=status)


def _detail(request, endpoint, *, form=None, status=200):
    form = form or WebhookSettingsForm(initial={"events": endpoint.events, "format": endpoint.format})
    context = {
        "endpoint": endpoint,
        "form": form,
        "deliveries": selectors.webhook_delivery_log(endpoint=endpoint),
        "log_length": selectors.DELIVERY_LOG_LENGTH,
    }
    return render(request, "notes/webhooks/detail.html", context, status=status)


# The page shows the signing secret: no browser or proxy keeps a copy.
@never_cache
@permission_view
def webhook_detail(request, endpoint_id: int):
    _require_manager(request)
    endpoint = selectors.webhook_endpoint_get(endpoint_id=endpoint_id)
    if request.method != "POST":
        return _detail(request, endpoint)
    form = WebhookSettingsForm(request.POST)
    if form.is_valid():
        try:
            services.webhook_endpoint_update(
                actor=request.user,
                endpoint=endpoint,
                events=form.cleaned_data["events"],
                format=form.cleaned_data["format"],
            )
        except WebhookError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Webhook saved.")
            return redirect(endpoint)
    return _detail(request, endpoint, form=form, status=400)


def _act(request, endpoint_id: int, action, success: str):
    """Run one action on the endpoint and come back to its page with what happened."""
    _require_manager(request)
    endpoint = selectors.webhook_endpoint_get(endpoint_id=endpoint_id)
    try:
        action(endpoint)
    except WebhookError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect(endpoint)


@require_POST
@permission_view
def webhook_activate(request, endpoint_id: int):
    is_active = request.POST.get("is_active") == "1"
    return _act(
        request,
        endpoint_id,
        lambda endpoint: services.webhook_endpoint_activate(
            actor=request.user, endpoint=endpoint, is_active=is_active
        ),
        "Webhook enabled."
        if is_active
        else "Webhook disabled: nothing is sent to it until it is enabled again.",
    )


@require_POST
@permission_view
def webhook_test(request, endpoint_id: int):
    return _act(
        request,
        endpoint_id,
        lambda endpoint: services.webhook_test_send(actor=request.user, endpoint=endpoint),
        "Test event sent; its delivery is at the top of the log.",
    )


@require_POST
@permission_view
def webhook_delete(request, endpoint_id: int):
    _require_manager(request)
    endpoint = selectors.webhook_endpoint_get(endpoint_id=endpoint_id)
    try:
        services.webhook_endpoint_delete(actor=request.user, endpoint=endpoint)
    except WebhookError as error:
        messages.error(request, str(error))
        return redirect(endpoint)
    messages.success(request, f"Webhook to {endpoint.url} deleted.")
    return redirect("notes:webhook-list")


@require_POST
@permission_view
def webhook_redeliver(request, endpoint_id: int, delivery_id: int):
    _require_manager(request)
    endpoint = selectors.webhook_endpoint_get(endpoint_id=endpoint_id)
    delivery = selectors.webhook_delivery_get(endpoint=endpoint, delivery_id=delivery_id)
    try:
        services.webhook_delivery_redeliver(actor=request.user, delivery=delivery)
    except WebhookError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"The {delivery.event} message is sent again; see the top of the log.")
    return redirect(endpoint)
