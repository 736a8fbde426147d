from django.urls import path

from goals import views

app_name = "goals"
urlpatterns = [
    path("new/", views.goal_create, name="create"),
    path("strategic-area-options/", views.strategic_area_options, name="strategic_area_options"),
    path("closure-requests/", views.closure_queue, name="closure_queue"),
    path("closure-requests/<int:pk>/decline/", views.closure_decline, name="decline_closure"),
    path("<int:pk>/", views.goal_detail, name="detail"),
    path("<int:pk>/edit/", views.goal_edit, name="edit"),
    path("<int:pk>/history/", views.goal_history, name="history"),
    path("<int:pk>/strategic-areas/add/", views.strategic_area_add, name="add_strategic_area"),
    path("<int:pk>/notes/add/", views.note_add, name="add_note"),
    path("<int:pk>/request-closure/", views.request_closure, name="request_closure"),
    path("<int:pk>/close/", views.goal_close, name="close"),
    path("<int:pk>/reopen/", views.goal_reopen, name="reopen"),
    path("strategic-areas/<int:pk>/edit/", views.strategic_area_edit, name="edit_strategic_area"),
    path(
        "strategic-areas/<int:pk>/remove/",
        views.strategic_area_remove,
        name="remove_strategic_area",
    ),
]
