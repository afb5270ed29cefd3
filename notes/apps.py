from django.apps import AppConfig


class NotesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notes"
    verbose_name = "Book notes"

    def ready(self) -> None:
        # Imported here: Django imports this module before the app registry can load models.
        from django.contrib.auth.signals import user_logged_in
        from simple_history.signals import pre_create_historical_record

        from notes.models.history import attach_change_request
        from notes.services.people import time_zone_remember_at_login
        from notes.services.viewers import connect as viewers_connect
        from wiki import checks  # noqa: F401 (registers the deployment's system checks)

        pre_create_historical_record.connect(
            attach_change_request, dispatch_uid="notes-attach-change-request"
        )
        user_logged_in.connect(time_zone_remember_at_login, dispatch_uid="notes-time-zone-at-login")
        # A signed-in user's cached snapshot expires with every change to what it holds.
        viewers_connect()
