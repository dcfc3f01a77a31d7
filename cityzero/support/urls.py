from django.urls import path

from cityzero.support import views

app_name = "support"

REQUEST = "cities/<slug:slug>/support/<int:pk>/"

urlpatterns = [
    path("support/queue/", views.queue, name="queue"),
    path("support/mine/", views.my_requests, name="mine"),
    path("cities/<slug:slug>/support/", views.city_requests, name="city_requests"),
    path("cities/<slug:slug>/support/new/", views.new_request, name="new"),
    path(REQUEST, views.request_detail, name="request"),
    path(REQUEST + "reply/", views.reply, name="reply"),
    path(REQUEST + "route/", views.route, name="route"),
    path(REQUEST + "close/", views.close, name="close"),
    path(REQUEST + "consent/", views.consent, name="consent"),
    path(REQUEST + "publish/", views.publish, name="publish"),
    path(REQUEST + "files/<int:file_pk>/", views.attachment, name="attachment"),
]
