"""Engine plumbing the rules rely on: compute() creates no reference cycle (it pauses the cyclic collector),
and a UE result's cheap copy keeps every field."""
import gc
from dataclasses import fields

from engine_builders import P, Programme, year

from grading.engine import compute
from grading.engine.types import UEResult


def test_compute_leaves_no_reference_cycle_and_restores_the_garbage_collector():
    """compute() pauses the cyclic collector for speed: it must create no cycle, and give the collector back."""
    p = Programme(competences=2, semesters=(1, 2, 3, 4))
    p.student("a", year(1, 2, **{"UE1.1": 9}), year(3, 4), prior={"UE9.9": "ADM"})
    p.student("b", year(1, 2, **{"UE1.1": 5, "UE2.1": 5}), P(1, {"UE1.1": "ATT"}), P(2, jury={"year": "RED"}))
    cohort = p.cohort()
    gc.collect()
    result = compute(cohort)
    del result
    assert gc.collect() == 0
    assert gc.isenabled()
    gc.disable()
    try:
        compute(cohort)
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()


def test_ue_result_copy_keeps_every_field_and_changes_the_given_ones():
    values = {f.name: object() for f in fields(UEResult)}
    ue = UEResult(**values)
    assert ue.copy() == ue and ue.copy() is not ue
    changed = ue.copy(decision="ADM", blocked=True)
    assert (changed.decision, changed.blocked, changed.code, ue.decision) == ("ADM", True, values["code"],
                                                                            values["decision"])
