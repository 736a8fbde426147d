"""Dashboards and the monthly compliance report (issue #10)."""

from django.urls import path  # noqa: F401

app_name = "reports"
urlpatterns: list = []
