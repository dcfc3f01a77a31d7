from django.urls import path

from cityzero.accounts import views

app_name = "accounts"

urlpatterns = [
    path("me/", views.home, name="home"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("cities/<slug:slug>/team/", views.team, name="team"),
    path("cities/<slug:slug>/team/invite/", views.invite, name="invite"),
    path("cities/<slug:slug>/team/<int:pk>/role/", views.change_role, name="change_role"),
    path("cities/<slug:slug>/team/<int:pk>/remove/", views.remove, name="remove"),
    path("cities/<slug:slug>/team/invitations/<int:pk>/revoke/", views.revoke, name="revoke"),
]
