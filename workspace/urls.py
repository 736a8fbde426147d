from django.urls import path

from workspace import notifications_views, views

app_name = "workspace"
urlpatterns = [
    path("", views.home, name="home"),
    path("states/", views.pick_jurisdiction, name="pick_jurisdiction"),
    path("states/<str:code>/", views.jurisdiction, name="jurisdiction"),
    path("records/find/", views.find_record, name="find_record"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/", notifications_views.notifications, name="notifications"),
    path(
        "notifications/mark-read/",
        notifications_views.notifications_mark,
        name="notifications_mark",
    ),
    path(
        "notifications/preferences/",
        notifications_views.notification_preferences,
        name="notification_preferences",
    ),
    path("help/", views.help_page, name="help"),
    path("help/standard-categories.csv", views.help_csv_download, name="help_csv"),
    path("help/standard-categories.pdf", views.help_pdf_download, name="help_pdf"),
]
