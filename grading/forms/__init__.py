"""Forms of the grading pages, one module per concern: `grades` (grid cells, evaluations, missing grades,
the admin's grade), `uploads` (spreadsheets), `semesters`, `enrolments`, `evaluation_plans`, `students` (search
and identity), `attendance` (roll calls, absences, justifications, settings), `cohorts`, `past_results`."""
