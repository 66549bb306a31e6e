"""The students' side: what they see, when staff publish it, and only theirs.

`visibility` filters the engine's input to what is published; `results` shapes the engine's output into a
student's results and bulletins, `serializers` into JSON; `publication` (grades, and a closed jury's decisions),
`accounts` and `notices` are the staff-side services; `pdf` renders bulletins, `batches` a whole semester's in the
worker (`tasks` queues it); `access` says who may do what; `views` (the student's pages and JSON API),
`staff_views` and `urls` are the pages.
"""
