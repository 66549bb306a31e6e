"""Admin number inputs accept « 2,5 » (and 2.5), in the curriculum's and the grading admin, inlines included."""
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import RequestFactory
from django.utils import translation

from curriculum.models import ModuleUE
from grading.models import Evaluation

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("chef", "chef@example.org", "pw"))
    return client


def test_the_coefficient_page_saves_a_decimal_comma(admin_client, make_programme):
    row = ModuleUE.objects.filter(ue__semester__programme=make_programme()).first()
    url = f"/admin/curriculum/moduleue/{row.pk}/change/"
    data = {"module": row.module_id, "ue": row.ue_id, "coefficient": "2,5", "cm": "1,5", "td": "0", "tp": "0",
            "project": "0"}
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    row.refresh_from_db()
    assert (row.coefficient, row.cm) == (Decimal("2.5"), Decimal("1.5"))
    assert 'value="2,50"' in admin_client.get(url).content.decode()  # shown the French way too


@pytest.mark.parametrize("text", ["2,5", "2.5"])
def test_the_evaluation_form_and_its_weight_inline_read_both_separators(make_semester_instance, text):
    model_admin = admin.site._registry[Evaluation]
    request = RequestFactory().get("/")
    request.user = User.objects.create_superuser("chef", "chef@example.org", "pw")
    with translation.override("fr"):
        form_class = model_admin.get_form(request)
        assert form_class.base_fields["coefficient"].clean(text) == Decimal("2.5")
        inline = model_admin.get_inline_instances(request)[0]
        weight_field = inline.get_formset(request).form.base_fields["weight"]
        assert weight_field.clean(text) == Decimal("2.5")
