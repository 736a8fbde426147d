from django.urls import path

from activities import views

app_name = "activities"
urlpatterns = [
    path("new/", views.activity_create, name="create"),
    path("new/on-demand/", views.activity_create_on_demand, name="create_on_demand"),
    path("staff-options/", views.staff_options, name="staff_options"),
    path("requesters/<int:pk>/", views.requester_detail, name="requester_detail"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/tracking/", views.activity_tracking, name="tracking"),
    path("<int:pk>/notes/", views.activity_response_notes, name="response_notes"),
    path("<int:pk>/history/", views.activity_history, name="history"),
    path("<int:pk>/print/", views.activity_print, name="print"),
    path("<int:pk>/edit/", views.activity_edit, name="edit"),
    path("<int:pk>/join/", views.activity_join, name="join"),
    path("<int:pk>/status/", views.activity_status, name="status"),
    path("<int:pk>/plans/add/", views.description_note_add, name="description_note_add"),
    path("<int:pk>/tracking/summaries/add/", views.summary_add, name="summary_add"),
    path("<int:pk>/tracking/feedback/add/", views.feedback_add, name="feedback_add"),
    path("<int:pk>/tracking/outcome-report/", views.outcome_report_update, name="outcome_report"),
    path("<int:pk>/notes/add/", views.response_note_add, name="response_note_add"),
    path("<int:pk>/close/", views.activity_close, name="close"),
    path("<int:pk>/cancel/", views.activity_cancel, name="cancel"),
    path("<int:pk>/reopen/", views.activity_reopen, name="reopen"),
    path("<int:pk>/<str:kind>-notes/<int:note_pk>/edit/", views.note_edit, name="note_edit"),
]
