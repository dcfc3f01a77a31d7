from django.urls import path

from cityzero.programmes import views

app_name = "programmes"

CALL = "programmes/calls/<slug:slug>/"
APPLICATION = "programmes/applications/<int:pk>/"
ACTIVITY = "programmes/pilot-activities/<slug:slug>/"

urlpatterns = [
    path("programmes/", views.index, name="index"),
    path(CALL, views.call_detail, name="call"),
    path(CALL + "apply/", views.apply, name="apply"),
    path(CALL + "manage/", views.manage, name="manage"),
    path(CALL + "ranking/", views.ranking, name="ranking"),
    path(CALL + "select/", views.select, name="select"),
    path("programmes/applications/", views.my_applications, name="mine"),
    path(APPLICATION, views.application_detail, name="application"),
    path(APPLICATION + "edit/", views.application_edit, name="edit"),
    path(APPLICATION + "submit/", views.application_submit, name="submit"),
    path(APPLICATION + "withdraw/", views.application_withdraw, name="withdraw"),
    path(APPLICATION + "eligibility/", views.decide_eligibility, name="decide_eligibility"),
    path(APPLICATION + "assessors/", views.assign_assessor, name="assign_assessor"),
    path(APPLICATION + "files/<slug:code>/", views.answer_file, name="answer_file"),
    path("programmes/assessments/", views.my_assessments, name="assessments"),
    path("programmes/assessments/<int:pk>/", views.scorecard, name="scorecard"),
    path("programmes/assessments/<int:pk>/remove/", views.remove_assessor, name="remove_assessor"),
    path("programmes/cohorts/<slug:slug>/", views.cohort_detail, name="cohort"),
    path("programmes/pilot-activities/new/", views.activity_new, name="activity_new"),
    path(ACTIVITY, views.activity_detail, name="activity"),
    path(ACTIVITY + "reports/", views.report_new, name="report_new"),
    path(ACTIVITY + "reports/<int:pk>/review/", views.report_review, name="report_review"),
    path(ACTIVITY + "reports/<int:pk>/file/", views.report_file, name="report_file"),
    path(ACTIVITY + "tranches/<int:pk>/release/", views.tranche_release, name="tranche_release"),
    path(ACTIVITY + "twins/", views.twins, name="twins"),
    path("programmes/twinning/<int:pk>/", views.group_detail, name="twinning"),
    path(
        "programmes/twinning/<int:pk>/deliverables/<slug:code>/",
        views.deliverable_submit,
        name="deliverable",
    ),
]
