from django.urls import path

from cityzero.accounts import views

app_name = "accounts"

urlpatterns = [
    path("me/", views.home, name="home"),
    path("me/tokens/", views.api_tokens, name="api_tokens"),
    path("me/tokens/<int:pk>/revoke/", views.revoke_api_token, name="revoke_api_token"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("cities/<slug:slug>/team/", views.team, name="team"),
    path("cities/<slug:slug>/team/invite/", views.invite, name="invite"),
    path("cities/<slug:slug>/team/<int:pk>/role/", views.change_role, name="change_role"),
    path("cities/<slug:slug>/team/<int:pk>/remove/", views.remove, name="remove"),
    path("cities/<slug:slug>/team/invitations/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("advisors/", views.advisors, name="advisors"),
    path("cities/<slug:slug>/advisors/", views.assign_advisor, name="assign_advisor"),
    path(
        "cities/<slug:slug>/advisors/<int:pk>/remove/",
        views.remove_advisor,
        name="remove_advisor",
    ),
]
