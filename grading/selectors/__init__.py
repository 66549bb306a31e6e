"""Reads of the grading pages, one module per concern: `grade_entry` (grids, a semester's overview, histories),
`live_results` (averages computed for a page), `missing` (R2: who is missing), `roster` (head counts, search,
a student's record)."""
