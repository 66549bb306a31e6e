"""Logging filters of the application."""
import logging


class ForbiddenWithoutTraceback(logging.Filter):
    """Log a refused page (403) as one line: a refusal is expected behaviour, its traceback tells nothing."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
