from django.urls import path

from cityzero.inventories import views

app_name = "inventories"

urlpatterns = [
    path("inventories/compare/", views.compare, name="compare"),
    path("cities/<slug:slug>/inventories/", views.inventory_list, name="list"),
    path("cities/<slug:slug>/inventories/<int:year>/", views.inventory_detail, name="detail"),
    path("cities/<slug:slug>/inventories/<int:year>/finalise/", views.finalise, name="finalise"),
    path("cities/<slug:slug>/inventories/<int:year>/import/", views.import_rows, name="import"),
    path("cities/<slug:slug>/inventories/<int:year>/rows/", views.edit_rows, name="edit_rows"),
    path(
        "cities/<slug:slug>/inventories/<int:year>/rows/preview/",
        views.rows_preview,
        name="rows_preview",
    ),
    path(
        "cities/<slug:slug>/inventories/<int:year>/boundaries/",
        views.boundaries,
        name="boundaries",
    ),
    path("cities/<slug:slug>/inventories/<int:year>/sources/", views.sources, name="sources"),
    path(
        "cities/<slug:slug>/inventories/<int:year>/sources/<int:pk>/",
        views.source_document,
        name="source_document",
    ),
    path(
        "cities/<slug:slug>/inventories/<int:year>/export.<str:file_format>",
        views.export_rows,
        name="export",
    ),
]
