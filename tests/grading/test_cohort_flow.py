"""A promotion's flow, pure: states year by year, the moves between them, and the diagram drawn from them."""
import pytest

from grading.cohort_flow import ELSEWHERE, Stay, cohort_flow, flow_chart, flow_tables


def paths():
    return {
        "ana": [Stay(2023, 1, decision="PASD"), Stay(2024, 2, decision="ADM"), Stay(2025, 3, decision="ADM")],
        "ben": [Stay(2023, 1, decision="RED"), Stay(2024, 1, decision="ADM"), Stay(2025, 2)],
        "chl": [Stay(2023, 1, ended=True, decision="DEM")],
        "dan": [Stay(2023, 1, decision="ADM"), Stay(2024, 2, decision="RED"), Stay(2025, 2, decision="ATT")],
        "eli": [Stay(2023, 1, decision="ADM"), Stay(2024, 2, decision="ATT")],
        "fay": [Stay(2022, 1, decision="RED"), Stay(2023, 1, decision="NAR")],  # a repeater of the promotion
        "gus": [Stay(2024, 1)],  # not of the promotion
        "hal": [Stay(2023, 1, decision="ADM")],  # passed, then not enrolled in 2024 (open): gone on elsewhere
    }


def test_each_year_counts_where_the_promotion_is():
    flow = cohort_flow(paths(), first_year=2023, last_open_year=2025)
    assert flow.size == 7
    assert [(year, states) for year, states in flow.columns] == [
        (2023, {"BUT1": 7}),
        (2024, {"BUT1": 1, "BUT2": 3, ELSEWHERE: 1, "Partis": 2}),
        (2025, {"BUT2": 2, "BUT3": 1, "En attente": 1}),
        (2026, {"Diplômés": 1, "En attente": 2}),
    ]


def test_each_step_says_who_went_on_repeated_left_or_is_awaited():
    flow = cohort_flow(paths(), first_year=2023, last_open_year=2025)
    assert [step.outcomes for step in flow.steps] == [
        {"on": 3, "repeat": 1, "elsewhere": 1, "left": 2},
        {"on": 2, "repeat": 1, "awaited": 1},
        {"graduated": 1, "awaited": 2},
    ]
    assert flow.steps[1].moves == {("BUT2", "BUT3"): 1, ("BUT1", "BUT2"): 1, ("BUT2", "BUT2"): 1,
                                   ("BUT2", "En attente"): 1}


@pytest.mark.parametrize("stays,last_open,end", [
    ([Stay(2023, 3, decision="ADM")], 2023, "Diplômés"),
    ([Stay(2023, 3, decision="ADJ")], 2025, "Diplômés"),
    ([Stay(2023, 3, decision="RED")], 2025, "Partis"),
    ([Stay(2023, 3, decision="RED")], 2023, "En attente"),
    ([Stay(2023, 1, decision="RAT")], 2025, "En attente"),
    ([Stay(2023, 1, ended=True, decision="ATT")], 2025, "Partis"),
    ([Stay(2023, 1, decision="NAR")], 2025, "Partis"),
    ([Stay(2023, 1, ended=True, decision="DEM")], 2025, "Partis"),
    ([Stay(2023, 1, ended=True, decision="ADM")], 2025, "Partis"),  # passed, yet the enrolment ended
    ([Stay(2023, 1, decision="ADM")], 2025, ELSEWHERE),
    ([Stay(2023, 2, decision="PASD")], 2024, ELSEWHERE),
    ([Stay(2023, 1, decision="PAS1NCI")], 2025, ELSEWHERE),
    ([Stay(2023, 2, decision="ADJ")], 2025, ELSEWHERE),
    ([Stay(2023, 2, decision="PASD")], 2023, "En attente"),  # the next year is not open yet
])
def test_a_path_ends_graduated_elsewhere_left_or_awaited(stays, last_open, end):
    flow = cohort_flow({"x": stays}, first_year=2023, last_open_year=last_open)
    assert flow.columns[-1] == (2024, {end: 1})


def test_the_diagram_has_a_node_per_state_and_a_band_per_move_as_wide_as_its_count():
    flow = cohort_flow(paths(), first_year=2023, last_open_year=2025)
    chart = flow_chart(flow, title="Promotion 2023")
    assert [(n.node.key, n.node.count) for n in chart.nodes][:5] == [
        ("2023:BUT1", 7), ("2024:BUT1", 1), ("2024:BUT2", 3), (f"2024:{ELSEWHERE}", 1), ("2024:Partis", 2)]
    assert sum(f.count for f in chart.flows) == 7 + 4 + 3  # the promotion, then those still on their way
    by_pair = {(f.source, f.target): f for f in chart.flows}
    assert by_pair[("2023:BUT1", "2024:Partis")].kind == "left"
    assert by_pair[("2023:BUT1", f"2024:{ELSEWHERE}")].kind == "elsewhere"
    assert by_pair[("2023:BUT1", f"2024:{ELSEWHERE}")].title == f"BUT1 → {ELSEWHERE} : 1"
    assert by_pair[("2023:BUT1", "2024:BUT1")].kind == "repeat"
    assert by_pair[("2025:BUT3", "2026:Diplômés")].title == "BUT3 → Diplômés : 1"
    first = {n.node.key: n for n in chart.nodes}["2023:BUT1"]
    # the bands leaving a node fill it exactly: the node's height is the sum of theirs
    leaving = [f for f in chart.flows if f.source == "2023:BUT1"]
    tops = sorted(float(f.path.split()[0][1:].split(",")[1]) for f in leaving)
    assert tops[0] == first.y and len(tops) == 4


def test_the_tables_hold_the_same_figures_as_the_diagram():
    flow = cohort_flow(paths(), first_year=2023, last_open_year=2025)
    tables = flow_tables(flow)
    assert tables["states"] == ["BUT1", "BUT2", "BUT3", ELSEWHERE, "Partis", "Diplômés", "En attente"]
    assert tables["column_rows"][1] == ("2024-2025", [1, 3, 0, 1, 2, 0, 0])
    assert tables["outcome_labels"] == ["Passés", "Redoublants", ELSEWHERE, "Partis", "Diplômés", "En attente"]
    assert tables["step_rows"][0] == ("2023-2024 → 2024-2025", [3, 1, 1, 2, 0, 0])
    chart = flow_chart(flow, title="t")
    drawn = {(n.node.key.split(":")[0], n.node.label): n.node.count for n in chart.nodes}
    for year, row in tables["column_rows"]:
        for state, count in zip(tables["states"], row, strict=True):
            assert drawn.get((year[:4], state), 0) == count
