from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API under /api/v1/ and the personal API tokens (issue #11)."""

    name = "api"
    verbose_name = "API"
