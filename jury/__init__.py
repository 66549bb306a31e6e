"""The jury's workflow: year and semester reports, student sheets, decisions, sessions, their record and documents,
next year, Apogée.

One module per concern: `scope` (which semester instances a report covers), `figures` and `cells` (the engine's
figures of a report), `report` and `sheet` (reads, fed by the engine), `subjects` (what a decision may be about),
`decisions` and `sessions` (writes), `records` (a closed jury's record: written at closing, the report rebuilt from
it), `documents` and `tasks` (the PV and letters made once by the worker, kept), `exports` (the report as JSON and
.xlsx), `pdf` (the PV, and what every jury PDF shares), `letters` (decision letters), `attestations` (R18),
`next_year` (enrolment from decisions), `apogee/` (the Apogée export), `members` and `identity` (Direction's
settings), `access` (who may do what), `tables`, `forms`, `views`, `session_views`, `next_year_views`, `urls`.
Publishing a closed jury's decisions to its students belongs to the students' side (`portal.publication`).
"""
