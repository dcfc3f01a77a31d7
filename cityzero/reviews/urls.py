from django.urls import path

from cityzero.reviews import views

app_name = "reviews"

urlpatterns = [
    path("cities/<slug:slug>/contract/<int:number>/review/", views.submission, name="submission"),
    path("reviews/", views.inbox, name="inbox"),
    path("reviews/pipeline/", views.pipeline, name="pipeline"),
    path("reviews/assignments/<int:pk>/", views.scorecard, name="scorecard"),
]
