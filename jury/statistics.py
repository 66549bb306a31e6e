"""A jury report at a glance: the overview of its rows (`grading.selectors.statistics.results_overview`)."""
from grading.selectors.statistics import Line, ResultsOverview, number_of, results_overview, ue_decision_counts


def jury_overview(report) -> ResultsOverview:
    """Return the overview of a jury report (`jury.report.Report`): bands of each UE's and RCUE's averages,
    the year decisions (in force, else proposed) or the UE codes, pass rates per group and parcours; the students
    who left (DEM, DEF, ABAN) count in the decisions, not in the bands nor in the rates."""
    decides_year = report.scope.decides_year
    lines = []
    for row in report.rows:
        keys = tuple(group.strip() for group in row.groups.split(",") if group.strip())
        cells = {code: (number_of(cell.average), cell.code) for code, cell in (*row.ues.items(), *row.rcues.items())}
        lines.append(Line(keys=keys + ((f"Parcours {row.parcours}",) if row.parcours else ()), cells=cells,
                          decision=(row.recorded or row.proposal) if decides_year else None, left=row.has_left))
    subjects = [column.code for column in report.ue_columns] + [column.key for column in report.rcue_columns]
    return results_overview(
        lines=lines, subjects=subjects, title=f"Répartition des moyennes : {report.scope.title}",
        decisions=None if decides_year else ue_decision_counts(lines),
        decisions_title=("Décisions d'année (enregistrées, sinon proposées)" if decides_year
                         else "Codes des UE (toutes UE confondues)"))

