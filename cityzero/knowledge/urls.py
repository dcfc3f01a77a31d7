from django.urls import path

from cityzero.knowledge import views

app_name = "knowledge"

# The first segments here are kept from entries' slugs (services.RESERVED_SLUGS).
urlpatterns = [
    path("knowledge/", views.search, name="search"),
    path("knowledge/contribute/", views.contribute, name="contribute"),
    path("knowledge/moderation/", views.moderation, name="moderation"),
    path("knowledge/bookmarks/", views.bookmarks, name="bookmarks"),
    path("knowledge/curate/", views.curate, name="curate"),
    path("knowledge/curate/entries.<str:fmt>", views.export, name="export"),
    path("knowledge/collections/<slug:slug>/", views.collection, name="collection"),
    path("knowledge/<slug:slug>/", views.entry, name="entry"),
    path("knowledge/<slug:slug>/edit/", views.edit, name="edit"),
    path("knowledge/<slug:slug>/comment/", views.comment, name="comment"),
    path("knowledge/<slug:slug>/bookmark/", views.bookmark, name="bookmark"),
    path("knowledge/<slug:slug>/files/<int:pk>/", views.entry_file, name="file"),
]
