"""The administrators' own pages: reference lists in the product's look (issue #10)."""

from django.urls import path

from administration import views

app_name = "administration"
urlpatterns: list = [
    path("", views.index, name="index"),
    path("lists/<slug:slug>/", views.list_page, name="list"),
    path("lists/<slug:slug>/add/", views.item_add, name="add"),
    path("lists/<slug:slug>/<int:pk>/", views.item_edit, name="edit"),
    path("lists/<slug:slug>/<int:pk>/active/", views.item_set_active, name="set_active"),
    path("lists/<slug:slug>/<int:pk>/move/", views.item_move, name="move"),
    path("field-help/", views.help_list, name="help_list"),
    path("field-help/<int:pk>/", views.help_edit, name="help_edit"),
]
