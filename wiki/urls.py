from django.contrib import admin
from django.urls import include, path

from notes.views import reading
from wiki import views

urlpatterns = [
    path("", reading.home, name="home"),
    path("search/", views.search, name="search"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("notes.urls")),
]
