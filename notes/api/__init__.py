"""The REST API at ``/api/v1/`` (django-ninja): thin routers over the same selectors,
services and permission rules as the browser pages. See docs/API.md."""
