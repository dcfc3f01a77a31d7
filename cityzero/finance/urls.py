from django.urls import path

from cityzero.finance import views

app_name = "finance"

urlpatterns = [
    path("finance/", views.start, name="start"),
    path("finance/questions/", views.questions, name="questions"),
    path("finance/result/", views.result, name="result"),
    path("finance/result/export.<str:fmt>", views.export_result, name="export"),
    path("finance/save/", views.save, name="save"),
    path("finance/results/<slug:token>/", views.saved, name="saved"),
    path("finance/results/<slug:token>/export.<str:fmt>", views.export_saved, name="export_saved"),
    path("finance/results/<slug:token>/visibility/", views.visibility, name="visibility"),
    path("finance/results/<slug:token>/delete/", views.delete, name="delete"),
    path("finance/funding/", views.funding_list, name="funding_list"),
    path("finance/funding/<slug:code>/", views.funding_detail, name="funding"),
]
