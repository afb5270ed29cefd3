from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from notes.api.main import api, not_found
from notes.context_processors import SITE_NAME
from notes.views import reading
from wiki import views

urlpatterns = [
    path("", reading.home, name="home"),
    path("search/", views.search, name="search"),
    path("search/suggest/", views.search_suggest, name="search-suggest"),
    # Browsers ask for /favicon.ico whatever the page says; send them to the real one.
    path("favicon.ico", views.favicon),
    # LoginView puts the request's host name in "site_name"; keep the layout's own name.
    path(
        "accounts/login/", auth_views.LoginView.as_view(extra_context={"site_name": SITE_NAME}), name="login"
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    re_path(r"^api/", not_found),
    path("", include("notes.urls")),
]
