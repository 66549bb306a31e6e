"""Bulletins as documents: the promotion's figures (six results or more), the rank where Direction
enables it, « duplicata » on the student's copy and not on staff's signed original, « proposition » on what the
jury has not decided, a whole semester laid out as one document (each bulletin its own page numbers), and a
bulletin made on demand kept and served again."""
import re
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from students_world import jury, publish_grades

from butgmp.formats import format_decimal
from butgmp.roles import Role
from grading.engine.codes import EnrolmentStatus
from grading.models import AuditEntry, Enrolment, Evaluation, Grade, InstitutionIdentity, StoredBulletin, Student
from grading.purges import stored_bulletins_purge
from grading.selectors.institution import IDENTITY_PK
from grading.services.grades import grade_set
from portal.batches import semester_bulletins
from portal.results import results_for_students
from portal.statistics import promotion_statistics

pytestmark = pytest.mark.django_db
CENT = Decimal("0.01")


def text_of(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def pages_of(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(content)).pages]


def add_students(world, count: int) -> list[Student]:
    """Enrol `count` more students in S1 and S2, each with a grade in every evaluation (6 + k, 7 + k…)."""
    added = []
    for k in range(count):
        student = Student.objects.create(ine=f"5550000000{k}", last_name=f"Zed{k}", first_name="Test")
        added.append(student)
        for number in (1, 2):
            enrolment = Enrolment.objects.create(student=student, semester_instance=world.instances[number],
                                                 parcours=world.enrolments[(world.alice.ine, number)].parcours)
            for j, evaluation in enumerate(Evaluation.objects.filter(semester_instance=world.instances[number])
                                           .order_by("pk")):
                Grade.objects.create(evaluation=evaluation, enrolment=enrolment, value=Decimal(6 + k + 2 * j))
    return added


def fr(value: Decimal) -> str:
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):.2f}".replace(".", ",")


def figures_of(values: list[Decimal]) -> str:
    """« mean minimum maximum » as the bulletin prints them, from the students' own averages."""
    return " ".join(fr(v) for v in (sum(values) / len(values), min(values), max(values)))


@pytest.fixture
def identity(db):
    return InstitutionIdentity.objects.create(pk=IDENTITY_PK, university="Université de Test", iut="IUT de Test",
                                              city="Testville", president_name="Mme Claire Fontaine",
                                              president_title="Directrice de l'IUT, présidente du jury")


@pytest.fixture
def promotion(year, users):
    """Alice, Bob and five more: seven students with a result in S2, every grade and both juries published."""
    add_students(year, 5)
    publish_grades(year)
    jury(year, 1, user=users["direction"])
    jury(year, 2, user=users["direction"])
    return year


def test_the_bulletin_gives_the_promotions_mean_minimum_and_maximum_of_each_ue_and_module(student_client,
                                                                                        promotion, identity):
    instance = promotion.instances[2]
    students = list(Student.objects.filter(enrolments__semester_instance=instance))
    seen = {s.id: r.semester(instance.pk) for s, r in
            ((s, results_for_students(students=[s])[s.id]) for s in students)}  # what each student is shown
    text = text_of(student_client.get(reverse("portal:my_bulletin_pdf", args=[instance.pk])).content)
    assert "Université de Test" in text and "IUT de Test" in text  # the letterhead
    alice = seen[promotion.alice.id]
    for ue in alice.ues:
        ue_values = [u.average for s in seen.values() for u in s.ues if u.code == ue.code]
        assert len(ue_values) == 7
        assert f"{fr(ue.average)} {figures_of(ue_values)}" in text, ue.code
        for module in ue.modules:
            values = [m.average for s in seen.values() for u in s.ues if u.code == ue.code for m in u.modules
                      if m.code == module.code and m.average is not None]
            row = f"{module.code} {module.title} {format_decimal(module.coefficient)} {fr(module.average)}"
            assert f"{row} {figures_of(values)}" in text, (ue.code, module.code)
    assert "rang" not in text  # the department has not enabled it


def test_under_six_students_with_a_result_the_bulletin_gives_no_promotion_figure(student_client, year, users):
    add_students(year, 3)  # five students
    publish_grades(year)
    text = text_of(student_client.get(reverse("portal:my_bulletin_pdf", args=[year.instances[2].pk])).content)
    alice = results_for_students(students=[year.alice])[year.alice.id].semester(year.instances[2].pk)
    for ue in alice.ues:
        for module in ue.modules:
            # the row ends with the student's own average: no mean, minimum or maximum after it
            assert re.search(rf"{re.escape(module.code)} {re.escape(module.title)} \d+ {fr(module.average)}\n", text)


def test_the_students_download_is_a_duplicata_and_staffs_original_is_signed(client, student_client, promotion,
                                                                             identity, users):
    instance = promotion.instances[2]
    mine = pages_of(student_client.get(reverse("portal:my_bulletin_pdf", args=[instance.pk])).content)
    assert all("DUPLICATA — document non officiel" in page for page in mine)  # every page
    assert "Mme Claire Fontaine" not in "\n".join(mine)  # no signature on the student's copy
    client.force_login(users["secretariat"])
    enrolment = promotion.enrolments[(promotion.alice.ine, 2)]
    original = text_of(client.get(reverse("portal:student_bulletin_pdf", args=[instance.pk, enrolment.pk])).content)
    assert "duplicata" not in original.lower() and "proposition" not in original
    assert "Fait à Testville, le" in original
    assert "Directrice de l'IUT, présidente du jury" in original and "Mme Claire Fontaine" in original


def test_what_the_jury_has_not_decided_is_marked_as_a_proposal(client, year, users):
    client.force_login(users["secretariat"])
    enrolment = year.enrolments[(year.alice.ine, 2)]
    url = reverse("portal:student_bulletin_pdf", args=[year.instances[2].pk, enrolment.pk])
    draft = text_of(client.get(url, {"version": "travail"}).content)
    assert "DOCUMENT DE TRAVAIL — PROPOSITION" in draft and "Document de travail — proposition" in draft
    assert re.search(r"Décision d'année \(BUT1\) :\s*RED – \S+.*proposition, le jury ne s'est pas encore", draft)
    assert re.search(r"\b(ADM|AJ|CMP)\s+proposition", draft)  # each UE's code
    publish_grades(year)
    jury(year, 1, user=users["direction"])
    jury(year, 2, user=users["direction"])
    decided = text_of(client.get(url, {"version": "travail"}).content)
    assert "RED – " in decided and "pas encore prononcé" not in decided
    assert not re.search(r"\b(ADM|AJ|CMP|RED)\s+proposition", decided)
    assert "proposition" not in text_of(client.get(url).content)


def test_a_whole_semester_is_one_document_each_bulletin_numbered_on_its_own(promotion, identity):
    instance = promotion.instances[2]
    pages = pages_of(semester_bulletins(semester_instance=instance, draft=False))
    numbers = [int(re.search(r"page (\d+)\s*$", page).group(1)) for page in pages]
    starts = [i for i, n in enumerate(numbers) if n == 1]
    assert len(starts) == Enrolment.objects.filter(semester_instance=instance).count() == 7
    assert max(numbers) <= 2  # at most two pages each
    for page, number in zip(pages, numbers, strict=True):  # the letterhead first, the student on every page
        assert ("IUT de Test" in page) == (number == 1)
        assert re.search(r"INE \d+ · Semestre 2 – 2025-2026\s+page \d$", page)


def test_a_bulletin_made_on_demand_is_kept_and_made_again_only_when_its_content_changes(client, promotion,
                                                                                       users, settings):
    client.force_login(users["secretariat"])
    enrolment = promotion.enrolments[(promotion.alice.ine, 2)]
    url = reverse("portal:student_bulletin_pdf", args=[promotion.instances[2].pk, enrolment.pk])
    first = client.get(url).content
    kept = StoredBulletin.objects.get(enrolment=enrolment, copy="original")
    assert bytes(kept.pdf) == first
    assert client.get(url).content == first  # served as kept
    assert StoredBulletin.objects.get(enrolment=enrolment, copy="original").pk == kept.pk
    grade_set(evaluation=promotion.evaluations["DS2"], enrolment=enrolment, raw="20", user=users["secretariat"])
    assert "20,00" in text_of(client.get(url).content)  # R2.01's average now
    newer = StoredBulletin.objects.get(enrolment=enrolment, copy="original")  # one per enrolment and copy
    assert newer.digest != kept.digest
    settings.STORED_BULLETIN_MAX_BYTES = 100  # too big to keep: made, served, not kept
    StoredBulletin.objects.all().delete()
    assert client.get(url).content.startswith(b"%PDF") and not StoredBulletin.objects.exists()


def test_kept_bulletins_are_purged_after_the_batches_time(client, promotion, users, settings):
    client.force_login(users["secretariat"])
    for student in (promotion.alice, promotion.bob):
        enrolment = promotion.enrolments[(student.ine, 2)]
        client.get(reverse("portal:student_bulletin_pdf", args=[promotion.instances[2].pk, enrolment.pk]))
    assert StoredBulletin.objects.count() == 2
    old = timezone.now() - timedelta(days=settings.BULLETIN_BATCHES_DAYS + 1)
    StoredBulletin.objects.filter(enrolment__student=promotion.bob).update(made_at=old)
    assert "grading.purges.stored_bulletins_purge" in settings.PURGES
    assert stored_bulletins_purge() == 1
    assert list(StoredBulletin.objects.values_list("enrolment__student", flat=True)) == [promotion.alice.id]


def test_the_rank_shows_only_once_direction_enables_it_and_the_change_is_journaled(student_client, promotion,
                                                                                  users):
    client = Client()  # staff's, beside the student's
    instance = promotion.instances[2]
    settings_url = reverse("portal:bulletin_settings", args=[instance.pk])
    client.force_login(users["secretariat"])
    client.post(settings_url, {"show_rank": "on"})  # refused: Direction only
    assert "rang" not in text_of(student_client.get(reverse("portal:my_bulletin_pdf", args=[instance.pk])).content)
    client.force_login(users["direction"])
    assert client.post(settings_url, {"show_rank": "on"}).status_code == 302
    entry = AuditEntry.objects.get(field="show_rank")
    assert (entry.old_value, entry.new_value, entry.user) == ("non", "oui", users["direction"])
    text = text_of(student_client.get(reverse("portal:my_bulletin_pdf", args=[instance.pk])).content)
    students = list(Student.objects.filter(enrolments__semester_instance=instance))
    seen = results_for_students(students=students)
    for ue in seen[promotion.alice.id].semester(instance.pk).ues:
        others = [u.average for r in seen.values() for u in r.semester(instance.pk).ues if u.code == ue.code]
        assert f"rang {1 + sum(1 for a in others if a > ue.average)} / {len(others)}" in text


def test_only_direction_changes_the_bulletin_settings(client, promotion, users, make_user):
    client.force_login(make_user(Role.TEACHER, "someone"))
    client.post(reverse("portal:bulletin_settings", args=[promotion.instances[2].pk]), {"show_rank": "on"})
    assert not AuditEntry.objects.filter(field="show_rank").exists()


def test_a_student_who_left_counts_neither_in_the_promotions_figures_nor_in_the_six(student_client, year):
    """Seven students with a result, one resigns (DEM): the figures are the six others'; a second leaves (DEF):
    five remain, under six, and the bulletin gives no figure (ScoDoc leaves those who left out of its figures)."""
    zeds = add_students(year, 5)
    publish_grades(year)
    instance = year.instances[2]
    for student, status in ((zeds[0], EnrolmentStatus.DEM), (zeds[1], EnrolmentStatus.DEF)):
        enrolment = Enrolment.objects.get(student=student, semester_instance=instance)
        enrolment.status = status
        enrolment.save()  # the signal bumps the instance's results version
        staying = list(Student.objects.filter(enrolments__semester_instance=instance,
                                              enrolments__status=EnrolmentStatus.ENROLLED))
        seen = [results_for_students(students=[s])[s.id].semester(instance.pk) for s in staying]
        left = results_for_students(students=[student])[student.id].semester(instance.pk)
        assert left.left and any(ue.average is not None for ue in left.ues)  # shown averages, yet not counted
        promotion = promotion_statistics(semester_instance_id=instance.pk, draft=False)
        text = text_of(student_client.get(reverse("portal:my_bulletin_pdf", args=[instance.pk])).content)
        alice = results_for_students(students=[year.alice])[year.alice.id].semester(instance.pk)
        assert promotion.size == len(staying)
        for ue in alice.ues:
            values = [u.average for s in seen for u in s.ues if u.code == ue.code]
            if len(staying) >= 6:
                assert len(values) == 6 and promotion.ues[ue.code].count == 6
                assert figures_of(values) in text, ue.code
                mine = next(u.average for u in left.ues if u.code == ue.code)
                assert figures_of([*values, mine]) not in text  # what counting the student who left would give
            else:
                assert len(values) == 5 and ue.code not in promotion.ues
                assert figures_of(values) not in text
