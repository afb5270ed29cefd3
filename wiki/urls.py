from allauth.account import views as account_views
from django.contrib import admin
from django.urls import include, path, re_path

from notes.api.main import api, not_found
from notes.views import accounts, reading
from wiki import views

urlpatterns = [
    path("", reading.home, name="home"),
    path("search/", views.search, name="search"),
    path("search/suggest/", views.search_suggest, name="search-suggest"),
    # Browsers ask for /favicon.ico whatever the page says; send them to the real one.
    path("favicon.ico", views.favicon),
    # django-allauth's sign-in under the names the templates and LOGIN_URL have always used.
    path("accounts/login/", account_views.login, name="login"),
    path("accounts/logout/", account_views.logout, name="logout"),
    # Password pages close when only single sign-on is on (SSO_LOCAL_PASSWORDS=0).
    path("accounts/password/change/", accounts.local_passwords_only(account_views.password_change)),
    path("accounts/password/set/", accounts.local_passwords_only(account_views.password_set)),
    path("accounts/password/reset/", accounts.local_passwords_only(account_views.password_reset)),
    re_path(
        r"^accounts/password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        accounts.local_passwords_only(account_views.password_reset_from_key),
    ),
    path("accounts/", include("allauth.urls")),
    path("admin/login/", accounts.admin_login),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    re_path(r"^api/", not_found),
    path("", include("notes.urls")),
]
