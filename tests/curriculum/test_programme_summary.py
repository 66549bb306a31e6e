import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.curriculum.specs import UNKNOWN_SAE_COEFFICIENT

# A module whose source prints its code and gives no coefficient per teaching domain.
NO_DOMAIN = {"domain": "", "domain_coefficient": None, "code_derived": False}


def run(*args) -> list:
    out = StringIO()
    call_command("programme_summary", *args, stdout=out)
    return json.loads(out.getvalue())


def test_it_prints_every_programme_with_its_semesters_and_ues(small_programme):
    [programme] = run()
    assert {k: programme[k] for k in ("code", "iut", "parcours", "modality")} == {
        "code": "test-mpi", "iut": "IUT de test", "parcours": "MPI", "modality": "alternance"}
    assert [s["number"] for s in programme["semesters"]] == [3, 4]


def test_it_gives_each_ue_its_figures(small_programme):
    [programme] = run("--programme", "test-mpi")
    ue = programme["semesters"][0]["ues"][0]
    assert ue == {
        "code": "UE3.1", "competence": "C1", "level": 2, "ects": 15,
        "coefficient_total": 8, "resources_coefficient": 4, "sae_coefficient": 4, "coefficients_complete": True,
        "hours": {"cm": 1.5, "td": 17, "tp": 14, "project": 20},
        "modules": [
            {"code": "R3.01", "kind": "resource", "coefficient": 2,
             "hours": {"cm": 1.5, "td": 10, "tp": 4, "project": 0}, **NO_DOMAIN},
            {"code": "R3.02", "kind": "resource", "coefficient": 2, "hours": {"cm": 0, "td": 6, "tp": 6, "project": 0},
             **NO_DOMAIN},
            {"code": "SAE3.01", "kind": "sae", "coefficient": 3.5, "hours": {"cm": 0, "td": 0, "tp": 4, "project": 20},
             **NO_DOMAIN},
            {"code": "PORTFOLIO3", "kind": "portfolio", "coefficient": 0.5,
             "hours": {"cm": 0, "td": 1, "tp": 0, "project": 0}, **NO_DOMAIN},
        ],
    }


def test_it_writes_accents_as_they_are_and_indents_by_two(small_programme, build_programme):
    out = StringIO()
    call_command("programme_summary", stdout=out)
    assert out.getvalue().startswith('[\n  {\n    "code"')


def test_unknown_coefficients_are_null_and_totals_too(build_programme):
    build_programme(UNKNOWN_SAE_COEFFICIENT)
    ue = run()[0]["semesters"][0]["ues"][0]
    assert ue["modules"][1]["coefficient"] is None
    assert ue["resources_coefficient"] == 4
    assert ue["sae_coefficient"] is None and ue["coefficient_total"] is None
    assert ue["coefficients_complete"] is False


def test_an_unknown_programme_is_refused_in_french_with_the_known_codes(small_programme):
    with pytest.raises(CommandError, match="Programme « nope » inconnu. Programmes connus : test-mpi."):
        run("--programme", "nope")
