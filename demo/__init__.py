"""Demo data for `make run`: a deterministic, realistic department built through the application's services.

`python manage.py make_demo [--students N] [--seed S]` runs `demo.build.make_demo`. One module per concern:
`people` (accounts and names), `dates` (fixed years and dates), `matrix` (the department's version of the Le
Creusot programme), `plans` (teachers and evaluations of a semester), `marks` (grades), `incidents` (EXC, ATT,
bonus, DEM), `promotions` (opening and enrolling), `last_year` and `this_year`; `jury_promotion` builds the
jury's synthetic promotion for tests and benchmarks. Nothing in the application imports it; never run by
migrations; the tests build it at a small size (`tests/demo/test_demo.py`).
"""
