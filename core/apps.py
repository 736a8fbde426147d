from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from core import history_deferred
        from core.middleware import start_session_clocks
        from core.security_log import connect_receivers

        connect_receivers()
        history_deferred.connect()
        user_logged_in.connect(start_session_clocks, dispatch_uid="tat-session-clocks")
