"""Reads of the grading pages, one module per concern: `grade_entry` (grids, a semester's overview, histories),
`live_results` (averages computed for a page), `results_tables` (a teacher's modules towards each UE), `missing`
(R2: who is missing), `pending` (what many semesters still wait for, for the home pages), `roster` (head counts,
search, a student's record), `attendance` (roll calls, justifications), `statistics` and `cohorts` (class
statistics, a promotion's flow), `jury_records` (a closed jury's record, read by the jury's outputs and the
students' pages), `past_results`, `institution`, `bulletin_settings`."""
