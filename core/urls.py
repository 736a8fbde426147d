from django.urls import path

from core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("states/", views.pick_jurisdiction, name="pick_jurisdiction"),
    path("states/<str:code>/", views.jurisdiction, name="jurisdiction"),
    path("help/", views.help_page, name="help"),
    path("help/standard-categories.csv", views.help_csv_download, name="help_csv"),
    path("help/standard-categories.pdf", views.help_pdf_download, name="help_pdf"),
]
