from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from cityzero.api.api import api
from cityzero.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("-/health/", core_views.health, name="health"),
    path("-/ready/", core_views.ready, name="ready"),
    path("", include("cityzero.cities.urls")),
    path("", include("cityzero.inventories.urls")),
    path("", include("cityzero.reviews.urls")),  # before contracts: "review" is not a module
    path("", include("cityzero.contracts.urls")),
    path("", include("cityzero.community.urls")),
    path("", include("cityzero.knowledge.urls")),
    path("", include("cityzero.transition.urls")),
    path("", include("cityzero.support.urls")),
    path("", include("cityzero.finance.urls")),
    path("", include("cityzero.programmes.urls")),
    path("", include("cityzero.monitoring.urls")),
    path("", include("cityzero.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

if settings.BENCH_HELLO:
    urlpatterns.append(path("-/hello/", core_views.hello))
