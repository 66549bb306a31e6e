"""The jury's workflow: year and semester reports, student sheets, decisions, sessions, exports, next year.

One module per concern: `scope` (which semester instances a report covers), `report` and `sheet` (reads,
fed by the engine), `subjects` (what a decision may be about), `decisions` and `sessions` (writes),
`next_year` (enrolment from decisions), `exports` (PV and letters in PDF, .xlsx, JSON), `tables`, `forms`,
`views`, `urls`.
"""
