"""Dashboards and the monthly compliance report (issue #10)."""

from django.urls import path  # noqa: F401

from reports.compliance import views as compliance_views
from reports.dashboard import views as dashboard_views

app_name = "reports"
urlpatterns: list = [
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("compliance/", compliance_views.compliance, name="compliance"),
    path("compliance/csv/", compliance_views.compliance_csv, name="compliance_csv"),
    path("compliance/xlsx/", compliance_views.compliance_xlsx, name="compliance_xlsx"),
]
