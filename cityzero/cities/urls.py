from django.urls import path

from cityzero.cities import views

app_name = "cities"

urlpatterns = [
    path("mission/", views.mission, name="mission"),
    path("cities/", views.city_list, name="list"),
    path("labels/", views.labels, name="labels"),
    path("cities/<slug:slug>/", views.city_detail, name="detail"),
    path("cities/<slug:slug>/dossier/<slug:kind>/edit/", views.section_edit, name="section_edit"),
    path(
        "cities/<slug:slug>/dossier/<slug:kind>/history/",
        views.section_history,
        name="section_history",
    ),
    path("cities/<slug:slug>/needs-assessment/", views.needs, name="needs"),
    path("cities/<slug:slug>/needs-assessment/new/", views.needs_new, name="needs_new"),
    path("cities/<slug:slug>/needs-assessment/<int:pk>/", views.needs_detail, name="needs_detail"),
    path("cities/<slug:slug>/needs-assessment/<int:pk>/edit/", views.needs_edit, name="needs_edit"),
]
