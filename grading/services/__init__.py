"""Writes of the grading app, one module per concern (import each from its module).

Each service takes keyword-only arguments, runs in one transaction, uses bulk operations, and records an
audit row for every change it makes (`audit_entries`). Grade input always goes through
`grading.grade_text.parse_grade` (R1); a locked semester refuses every change (R19).
"""
