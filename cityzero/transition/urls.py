from django.urls import path

from cityzero.transition import views

app_name = "transition"

urlpatterns = [
    path("transition/", views.map_page, name="map"),
    path("transition/<slug:phase>/", views.phase_page, name="phase"),
    path("transition/<slug:phase>/<slug:step>/", views.step_page, name="step"),
    path("cities/<slug:slug>/transition/", views.city_map, name="city"),
    path("cities/<slug:slug>/transition/<slug:step>/", views.city_step, name="city_step"),
]
