"""Students' side of the application (issue 10): what they see, when staff publish it, and only theirs.

`visibility` filters the engine's input to what is published; `results` shapes the engine's output into a
student's results and bulletins; `publication`, `accounts` and `notices` are the staff-side services; `pdf` and
`tasks` render bulletins (one student, or a whole semester in the background); `views`, `staff_views`, `api`
and `urls` are the pages.
"""
