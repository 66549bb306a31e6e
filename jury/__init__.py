"""The jury's workflow: year and semester reports, student sheets, decisions, sessions, exports, next year.

One module per concern: `scope` (which semester instances a report covers), `report` and `sheet` (reads,
fed by the engine), `subjects` (what a decision may be about), `decisions` and `sessions` (writes),
`next_year` (enrolment from decisions), `exports` (the report as JSON and .xlsx), `pdf` (the PV and the
letters), `access` (who may do what), `tables`, `forms`, `views`, `session_views`, `urls`. Publishing a closed
jury's decisions to its students belongs to the students' side (`portal.publication`).
"""
