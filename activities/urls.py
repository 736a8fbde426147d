from django.urls import path

from activities.views import (
    checks,
    completion,
    history,
    join_requests,
    plans,
    records,
    requesters,
    tracking,
)

app_name = "activities"
urlpatterns = [
    path("new/", records.activity_create, name="create"),
    path("new/on-demand/", records.activity_create_on_demand, name="create_on_demand"),
    path("staff-options/", requesters.staff_options, name="staff_options"),
    path("documentation-checks/", checks.documentation_checks, name="documentation_checks"),
    path("requesters/<int:pk>/", requesters.requester_detail, name="requester_detail"),
    path("<int:pk>/", records.activity_detail, name="detail"),
    path("<int:pk>/tracking/", tracking.activity_tracking, name="tracking"),
    path("<int:pk>/notes/", tracking.activity_response_notes, name="response_notes"),
    path("<int:pk>/history/", history.activity_history, name="history"),
    path("<int:pk>/print/", history.activity_print, name="print"),
    path("<int:pk>/edit/", records.activity_edit, name="edit"),
    path("<int:pk>/join/", records.activity_join, name="join"),
    path("<int:pk>/ask-to-join/", join_requests.join_request_create, name="join_request"),
    path("<int:pk>/join-requests/", join_requests.join_request_list, name="join_requests"),
    path(
        "join-requests/<int:pk>/answer/",
        join_requests.join_request_decide,
        name="join_request_decide",
    ),
    path("<int:pk>/status/", records.activity_status, name="status"),
    path("<int:pk>/plans/add/", plans.description_note_add, name="description_note_add"),
    path("<int:pk>/tracking/summaries/add/", tracking.summary_add, name="summary_add"),
    path("<int:pk>/tracking/feedback/add/", tracking.feedback_add, name="feedback_add"),
    path(
        "<int:pk>/tracking/outcome-report/",
        tracking.outcome_report_update,
        name="outcome_report",
    ),
    path("<int:pk>/notes/add/", tracking.response_note_add, name="response_note_add"),
    path("<int:pk>/close/", completion.activity_close, name="close"),
    path("<int:pk>/cancel/", completion.activity_cancel, name="cancel"),
    path("<int:pk>/reopen/", completion.activity_reopen, name="reopen"),
    path("<int:pk>/<str:kind>-notes/<int:note_pk>/edit/", plans.note_edit, name="note_edit"),
]
