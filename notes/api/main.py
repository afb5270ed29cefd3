"""The API object: its routers, who may call it, its errors and its docs page."""

from django.views.decorators.csrf import csrf_exempt
from ninja.openapi.docs import Swagger

from notes.api import books, discussions, groups, misc, reviews
from notes.api.core import (
    CallerRateLimit,
    ChapterwiseApi,
    SessionAuth,
    TokenAuth,
    anonymous,
    install_problem_handlers,
)


class OwnStaticSwagger(Swagger):
    """Swagger UI from our own static files, set up by a static script (the site's CSP
    allows no inline script and no CDN)."""

    template = "notes/api/docs.html"


api = ChapterwiseApi(
    title="Chapterwise API",
    version="1",
    description=(
        "Books, chapters, tables, history, change requests and reviews of this wiki. "
        "Authenticate with `Authorization: Bearer cw_…` (a personal access token from "
        "/account/tokens/) or the browser's session. Errors are application/problem+json."
    ),
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth(), anonymous],
    throttle=[CallerRateLimit()],
    docs=OwnStaticSwagger(settings={"persistAuthorization": False}),
)
install_problem_handlers(api)
for router in (
    books.router,
    reviews.router,
    discussions.router,
    groups.router,
    misc.search_router,
    misc.notifications_router,
    misc.imports_router,
):
    api.add_router("", router)


@csrf_exempt  # no state changes here, and a 404 should not turn into a CSRF page
def not_found(request, rest: str = ""):
    """Any other address under /api/v1/: a problem+json 404, like the API's own."""
    from django.http import JsonResponse

    return JsonResponse(
        {
            "type": "about:blank",
            "title": "Not found",
            "status": 404,
            "detail": "There is no such API address.",
        },
        status=404,
        content_type="application/problem+json",
    )
