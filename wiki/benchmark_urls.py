"""The site's URLs plus the benchmark's trivial view (see wiki.benchmark_settings)."""

from django.http import HttpResponse
from django.urls import path

from wiki.urls import urlpatterns as site_urlpatterns


def trivial(request):
    """The least a Django view can do: the floor of the same server and middleware."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("__benchmark__/trivial/", trivial), *site_urlpatterns]
