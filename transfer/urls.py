from django.urls import path

from transfer import views

app_name = "transfer"

urlpatterns = [
    path("import/", views.import_page, name="import"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("import/<int:pk>/errors.csv", views.import_errors_csv, name="import_errors_csv"),
    path("export/", views.export_page, name="export"),
    path("template.csv", views.template_csv, name="template_csv"),
    path("template.xlsx", views.template_xlsx, name="template_xlsx"),
]
