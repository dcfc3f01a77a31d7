from django.urls import path

from cityzero.contracts import views

app_name = "contracts"

PREFIX = "cities/<slug:slug>/contract/"

urlpatterns = [
    path(PREFIX, views.contract_home, name="home"),
    path(f"{PREFIX}compare/", views.compare, name="compare"),
    path(f"{PREFIX}<int:number>/", views.iteration_overview, name="overview"),
    path(f"{PREFIX}<int:number>/export.pdf", views.export_pdf, name="export_pdf"),
    path(f"{PREFIX}<int:number>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path(f"{PREFIX}<int:number>/import-actions/", views.import_actions, name="import_actions"),
    path(f"{PREFIX}<int:number>/<slug:code>/", views.module_page, name="module"),
    path(f"{PREFIX}<int:number>/<slug:code>/<uuid:key>/", views.part_page, name="part"),
]
