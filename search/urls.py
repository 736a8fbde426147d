from django.urls import path

from search import views

app_name = "search"
urlpatterns = [
    path("", views.search, name="search"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("saved/", views.saved_search_create, name="saved_create"),
    path("saved/<int:pk>/", views.saved_search_run, name="saved_run"),
    path("saved/<int:pk>/delete/", views.saved_search_delete, name="saved_delete"),
]
