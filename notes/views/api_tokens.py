"""My API tokens (/account/tokens/): list, make one (shown once), revoke."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from notes import permissions
from notes.forms.api_tokens import ApiTokenForm
from notes.permissions import permission_view, require
from notes.selectors.api_tokens import api_tokens_of
from notes.services.api_tokens import ApiTokenError, api_token_create, api_token_revoke


@permission_view
def token_list(request):
    require(request, permissions.can_manage_api_tokens(request.user))
    scopes = permissions.api_scopes_for(request.user)
    form = ApiTokenForm(request.POST or None, scopes=scopes)
    created = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                token, created = api_token_create(
                    user=request.user,
                    name=data["name"],
                    scopes=data["scopes"],
                    lifetime_days=data["lifetime_days"],
                )
            except ApiTokenError as error:
                form.add_error(None, str(error))
            else:
                form = ApiTokenForm(scopes=scopes)
                status = 201
        if created is None:
            status = 400
    response = render(
        request,
        "notes/account/tokens.html",
        {"form": form, "tokens": api_tokens_of(user=request.user), "created": created},
        status=status,
    )
    # The new token is on this page once: no cache may keep it.
    add_never_cache_headers(response)
    return response


@require_POST
@permission_view
def token_revoke(request, token_id: int):
    require(request, permissions.can_manage_api_tokens(request.user))
    try:
        token = api_token_revoke(user=request.user, token_id=token_id)
    except ApiTokenError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Revoked “{token.name}”: it no longer works.")
    return redirect("notes:account-tokens")
