"""The demo app: demo and benchmark data commands. Top floor; no other app imports it."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "demo"
    verbose_name = "Demo data"
