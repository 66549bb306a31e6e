"""The real programmes of a marked module: loaded once before its first test, each test's changes rolled back,
loaded again when they are gone (tests/real_programmes.py)."""
import pytest

from curriculum.models import Module, Programme
from tests import real_programmes as real

pytestmark = [pytest.mark.django_db, pytest.mark.real_programmes(real.DIJON)]


def test_the_module_sees_the_marked_programme_and_only_it(real_programmes):
    assert list(real_programmes) == [real.DIJON]
    assert list(Programme.objects.values_list("code", flat=True)) == [real.DIJON]
    assert Module.objects.filter(semester__programme__code=real.DIJON).count() == 32


@pytest.mark.parametrize("attempt", [1, 2])
def test_a_change_made_by_one_test_is_gone_for_the_next(real_programmes, attempt):
    module = Module.objects.get(semester__programme__code=real.DIJON, code="R3.01")
    assert module.title != "Changé par un test"
    module.title = "Changé par un test"
    module.save()


def test_programmes_that_a_flush_took_are_loaded_again(real_programmes):
    Programme.objects.all().delete()  # what a transactional test's flush leaves
    assert real.loaded((real.DIJON,)) is None
    programmes = real.present((real.DIJON,))
    assert list(programmes) == [real.DIJON]
    assert Module.objects.filter(semester__programme__code=real.DIJON).count() == 32
