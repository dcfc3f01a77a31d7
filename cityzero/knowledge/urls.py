from django.urls import path

from cityzero.knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("knowledge/", views.search, name="search"),
    path("knowledge/contribute/", views.contribute, name="contribute"),
    path("knowledge/moderation/", views.moderation, name="moderation"),
    path("knowledge/bookmarks/", views.bookmarks, name="bookmarks"),
    path("knowledge/collections/<slug:slug>/", views.collection, name="collection"),
    path("knowledge/<slug:slug>/", views.entry, name="entry"),
    path("knowledge/<slug:slug>/edit/", views.edit, name="edit"),
]
