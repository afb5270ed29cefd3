"""The framework's floor for `manage.py benchmark`: a minimal Django project in one module.

Settings, URLconf and view of the least a Django page can be: no app, no middleware, no
database, one view rendering a one-line template. The benchmark serves it with gunicorn
beside the site (same server, same run, same load) and reports every page as a fraction of
its rate, so the figures say how close a page is to what Django itself costs rather than to
the site's own trivial view behind the site's own middleware.

Run by ``DJANGO_SETTINGS_MODULE=wiki.benchmark_floor gunicorn wiki.benchmark_floor:application``.
"""

from django.core.wsgi import get_wsgi_application
from django.shortcuts import render
from django.urls import path

SECRET_KEY = "benchmark-floor-only"  # noqa: S105 - nothing is signed
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = __name__
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict = {}
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {
            # Compiled once, as Django's default loaders are when DEBUG is off.
            "loaders": [
                (
                    "django.template.loaders.cached.Loader",
                    [("django.template.loaders.locmem.Loader", {"floor.html": "<p>{{ text }}</p>\n"})],
                )
            ]
        },
    }
]
USE_TZ = True


def floor(request):
    return render(request, "floor.html", {"text": "ok"})


urlpatterns = [path("", floor)]

application = get_wsgi_application()
