"""The administrators' own pages: reference lists in the product's look (issue #10)."""

from django.urls import path  # noqa: F401

app_name = "administration"
urlpatterns: list = []
