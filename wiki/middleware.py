"""Site-wide request checks that no single view should have to repeat."""

from django.core.exceptions import BadRequest


class RejectNulCharacters:
    """Answer 400 to a NUL character in the path, the query string or a form field.

    No text we store may hold one (PostgreSQL refuses it), and no legitimate browser
    sends one; refusing it here turns what would be a database error deep in a view
    into a clear "bad request" before anything runs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            "\x00" in request.path
            or _has_nul(request.GET)
            or (request.method == "POST" and _has_nul(request.POST))
        ):
            raise BadRequest("The request holds a NUL character.")
        return self.get_response(request)


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())
