from django.urls import path

from cityzero.monitoring import overview_views, views

app_name = "monitoring"

urlpatterns = [
    path("monitoring/", overview_views.overview, name="overview"),
    path("cities/<slug:slug>/progress/", views.city_progress, name="city"),
    path("cities/<slug:slug>/progress/plan/", views.plan, name="plan"),
    path("cities/<slug:slug>/progress/report-<int:year>.pdf", views.annual_report, name="pdf"),
    path("cities/<slug:slug>/progress/actions/<uuid:key>/", views.action, name="action"),
    path("cities/<slug:slug>/progress/indicators/<uuid:key>/", views.indicator, name="indicator"),
    path("cities/<slug:slug>/progress/evidence/<int:pk>/", views.evidence, name="evidence"),
]
