"""Jury decisions (R16, R19): the services live in `grading.jury.decisions`, the reads in `grading.jury.history`.

The names below are kept for the callers written before the jury package.
"""
from grading.jury.decisions import (
    ALLOWED_CODES,
    ERROR_CODE_NOT_ALLOWED,
    ERROR_NO_USER,
    ERROR_REASON_REQUIRED,
    REASON_REQUIRED,
    decision_record,
)
from grading.jury.history import current_decision, decision_history

__all__ = ["ALLOWED_CODES", "ERROR_CODE_NOT_ALLOWED", "ERROR_NO_USER", "ERROR_REASON_REQUIRED", "REASON_REQUIRED",
           "current_decision", "decision_history", "decision_record"]
