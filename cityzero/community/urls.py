from django.urls import path

from cityzero.community import views

app_name = "community"

GROUP = "groups/<slug:slug>/"
EVENT = "events/<int:pk>/"

urlpatterns = [
    # groups ("new" is kept from groups' addresses: services.groups.RESERVED_SLUGS)
    path("groups/", views.group_list, name="groups"),
    path("groups/new/", views.group_new, name="group_new"),
    path(GROUP, views.group_detail, name="group"),
    path(GROUP + "settings/", views.group_settings, name="group_settings"),
    path(GROUP + "join/", views.join, name="join"),
    path(GROUP + "ask/", views.ask_to_join, name="ask_to_join"),
    path(GROUP + "invitation/", views.answer_invitation, name="answer_invitation"),
    path(GROUP + "leave/", views.leave, name="leave"),
    path(GROUP + "members/", views.members, name="members"),
    path(GROUP + "members/invite/", views.invite, name="invite"),
    path(GROUP + "members/<int:pk>/answer/", views.answer_request, name="answer_request"),
    path(GROUP + "members/<int:pk>/withdraw/", views.withdraw_invitation, name="withdraw"),
    path(GROUP + "members/<int:pk>/role/", views.change_role, name="change_role"),
    path(GROUP + "members/<int:pk>/remove/", views.remove_member, name="remove_member"),
    path(GROUP + "members/<int:pk>/lift-ban/", views.lift_ban, name="lift_ban"),
    path(GROUP + "mentions/", views.mentions, name="mentions"),
    path(GROUP + "discussions/", views.discussions, name="discussions"),
    path(GROUP + "discussions/<int:pk>/", views.discussion, name="discussion"),
    path(GROUP + "discussions/<int:pk>/reply/", views.reply, name="reply"),
    path(GROUP + "events/", views.group_events, name="group_events"),
    path(GROUP + "events/new/", views.event_new, name="group_event_new"),
    path(GROUP + "files/", views.files, name="files"),
    path(GROUP + "files/<int:pk>/", views.file_download, name="file"),
    path(GROUP + "moderation/", views.group_moderation, name="moderation"),
    # events
    path("events/", views.event_list, name="events"),
    path("events/new/", views.event_new, name="event_new"),
    path(EVENT, views.event_detail, name="event"),
    path(EVENT + "edit/", views.event_edit, name="event_edit"),
    path(EVENT + "cancel/", views.event_cancel, name="event_cancel"),
    path(EVENT + "register/", views.register, name="register"),
    path(EVENT + "unregister/", views.unregister, name="unregister"),
    path(EVENT + "calendar.ics", views.event_calendar, name="event_calendar"),
    # reports and moderation
    path("community/report/<str:kind>/<int:pk>/", views.report, name="report"),
    path("community/moderate/<str:kind>/<int:pk>/", views.moderate, name="moderate"),
    path("community/reports/<int:pk>/dismiss/", views.dismiss_report, name="dismiss_report"),
    path("community/moderation/", views.platform_moderation, name="platform_moderation"),
    # feeds and people
    path("feed/", views.my_feed, name="feed"),
    path("feed/topics/", views.topics, name="topics"),
    path("people/", views.people, name="people"),
    path("people/me/", views.my_profile, name="my_profile"),
    path("people/<slug:handle>/", views.person, name="person"),
    # notifications
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.mark_read, name="mark_read"),
    path("notifications/<int:pk>/open/", views.open_notification, name="open"),
    path("notifications/settings/", views.preferences, name="preferences"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
