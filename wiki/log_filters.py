"""Logging filters for the site's logging configuration (wiki/settings.py: LOGGING)."""

import logging

from django.core.exceptions import PermissionDenied


class OrdinaryForbiddenWithoutTraceback(logging.Filter):
    """A 403 from a permission check is an ordinary answer (a reader opening the editor), not
    an error: Django logs it with the exception's traceback; keep the one line that says
    which address was refused."""

    def filter(self, record: logging.LogRecord) -> bool:
        exception = record.exc_info[1] if record.exc_info else None
        if getattr(record, "status_code", None) == 403 and isinstance(exception, PermissionDenied):
            record.exc_info = None
            record.exc_text = None
        return True
