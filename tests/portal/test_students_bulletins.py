"""Bulletins: figures equal to the engine's, one student or a whole semester as PDF, the command, the chart."""
import json
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader
from students_world import jury, publish_grades

from butgmp.formats import as_number
from curriculum.models import UE, Competence, CompetenceLevel, Semester
from grading.engine import compute
from grading.engine.rounding import shown
from grading.loaders import load_students
from grading.models import BulletinBatch, Enrolment, SemesterInstance, Student
from portal.results import results_for_students

pytestmark = pytest.mark.django_db


def pdf_pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(content)).pages]


def number(value):
    return None if value is None else as_number(shown(value))


@pytest.fixture
def decided(year, users):
    """Every grade published, both juries published."""
    publish_grades(year)
    jury(year, 1, user=users["direction"])
    jury(year, 2, user=users["direction"])
    return year


def test_bulletin_figures_equal_the_engines_once_everything_is_published(student_client, decided):
    engine = compute(load_students(student_ids=[decided.alice.id])).students[decided.alice.id]
    for passage, number_ in zip(engine.passages, (1, 2), strict=True):
        bulletin = student_client.get(reverse("portal:api_bulletin", args=[passage.run])).json()
        assert bulletin["semestre"] == number_
        assert {u["code"]: (u["moyenne"], u["decision"], u["ects"]) for u in bulletin["ues"]} == {
            code: (number(ue.average), ue.decision, as_number(ue.ects)) for code, ue in passage.ues.items()}
        modules = {(u["code"], m["code"]): m["moyenne"] for u in bulletin["ues"] for m in u["modules"]}
        assert modules == {(code, m): number(avg) for code, ue in passage.ues.items()
                           for m, avg in ue.module_averages.items()}
        assert bulletin["ects_acquis"] == as_number(engine.ects) == 30
    assert {r["cle"]: (r["moyenne"], r["decision"]) for r in bulletin["rcues"]} == {
        key: (number(r.average), r.decision) for key, r in engine.rcues.items()}
    assert bulletin["decision_annee"] == engine.years[1] == "RED"


def test_results_cost_the_same_queries_for_one_student_or_a_whole_semester(decided):
    with CaptureQueriesContext(connection) as one:
        results_for_students(students=[decided.alice])
    cache.clear()  # both runs cold: the R2 counts are cached per semester instance (grading.grade_counts)
    with CaptureQueriesContext(connection) as two:
        results = results_for_students(students=[decided.alice, decided.bob])
    # No query per student: a second student costs nothing more (for one student the loader counts R2
    # completeness in SQL, which may take a query or two more than loading a whole class's grades).
    assert len(two) <= len(one)
    assert [u.average for u in results[decided.bob.id].semesters[0].ues] == [Decimal("4.00"), Decimal("4.00")]


def test_a_student_downloads_their_bulletin_as_pdf(student_client, decided):
    response = student_client.get(reverse("portal:my_bulletin_pdf", args=[decided.instances[2].pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "bulletin-S2-12345678901.pdf" in response["Content-Disposition"]
    text = "\n".join(pdf_pages(response.content))
    for expected in ("AUBERT Alice", "INE 12345678901", "Semestre 2", "10,25", "9,75", "Spécifier — niveau 1",
                     "11,19", "RED", "ECTS acquis à ce jour : 30", "DS S2", "10,5", "10/04/2026"):
        assert expected in text, expected


def test_staff_get_the_published_bulletin_or_a_working_document(client, users, year):
    client.force_login(users["secretariat"])
    enrolment = year.enrolments[(year.alice.ine, 1)]
    url = reverse("portal:student_bulletin_pdf", args=[year.instances[1].pk, enrolment.pk])
    published = "\n".join(pdf_pages(client.get(url).content))
    assert "non publié" in published and "14,25" not in published
    draft = "\n".join(pdf_pages(client.get(url, {"version": "travail"}).content))
    assert "Document de travail" in draft and "14,25" in draft and "12,13" in draft


def test_the_whole_semester_is_one_pdf_built_in_the_background_with_progress(client, users, decided):
    client.force_login(users["secretariat"])
    instance = decided.instances[2]
    response = client.post(reverse("portal:bulletin_batches", args=[instance.pk]), {"version": "publiee"})
    assert response.status_code == 302
    batch = BulletinBatch.objects.get(semester_instance=instance)
    assert (batch.status, batch.done, batch.total, batch.percent) == (BulletinBatch.Status.DONE, 2, 2, 100)
    page = client.get(reverse("portal:bulletin_batches", args=[instance.pk])).content.decode()
    download = reverse("portal:bulletin_batch_download", args=[instance.pk, batch.pk])
    assert download in page and 'value="100"' in page
    pages = pdf_pages(client.get(download).content)
    starts = [i for i, text in enumerate(pages) if text.startswith("Relevé de notes")]
    assert len(starts) == 2
    assert "AUBERT Alice" in pages[starts[0]] and "BOUCHER Bob" in pages[starts[1]]  # by name


def test_the_semester_bulletins_run_in_the_database_worker_once_per_results(settings, monkeypatch, users,
                                                                            decided, client):
    from butgmp import worker
    from portal.tasks import batch_start

    # The worker drops connections between tasks; the test's own transaction must survive it.
    monkeypatch.setattr(worker, "close_old_connections", lambda: None)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}}
    instance = decided.instances[1]
    batch, started = batch_start(semester_instance=instance, draft=False, user=users["secretariat"])
    assert started and batch.status == BulletinBatch.Status.QUEUED  # queued: nothing runs in the request
    client.force_login(users["direction"])  # a second request while it waits shows the same batch
    client.post(reverse("portal:bulletin_batches", args=[instance.pk]), {"version": "publiee"})
    assert BulletinBatch.objects.filter(semester_instance=instance).count() == 1
    call_command("run_worker", batch=True, no_startup_delay=True, queue_name="default", reload=False,
                 stdout=StringIO(), stderr=StringIO())
    batch.refresh_from_db()
    assert batch.status == BulletinBatch.Status.DONE and bytes(batch.pdf).startswith(b"%PDF")
    again, started = batch_start(semester_instance=instance, draft=False, user=users["direction"])
    assert (again.pk, started) == (batch.pk, False)  # made from the same results: never made twice
    SemesterInstance.objects.filter(pk=instance.pk).update(results_version=F("results_version") + 1)
    newer, started = batch_start(semester_instance=instance, draft=False, user=users["direction"])
    assert started and newer.pk != batch.pk


def test_a_batch_whose_worker_was_lost_too_often_is_failed_and_the_page_offers_to_start_again(settings, users,
                                                                                              decided, client):
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from butgmp.worker import tasks_reclaim
    from portal.tasks import batch_start

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}}
    settings.TASK_MAX_ATTEMPTS = 3
    instance = decided.instances[1]
    batch, _ = batch_start(semester_instance=instance, draft=False, user=users["secretariat"])
    BulletinBatch.objects.filter(pk=batch.pk).update(status=BulletinBatch.Status.RUNNING, done=2)
    expired = timezone.now() - timedelta(minutes=5)  # the third worker running it was killed as well
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING, worker_ids=["w1", "w2", "w3"], started_at=expired,
                                run_after=expired)
    assert tasks_reclaim() == 1
    batch.refresh_from_db()
    assert batch.status == BulletinBatch.Status.FAILED and "interrompue 3 fois" in batch.error
    client.force_login(users["secretariat"])
    page = client.get(reverse("portal:bulletin_batches", args=[instance.pk])).content.decode()
    assert "interrompue 3 fois" in page and "Produire les bulletins" in page
    _, started = batch_start(semester_instance=instance, draft=False, user=users["secretariat"])
    assert started  # a failed batch does not stand in the way of a new one


def test_the_bulletin_command_writes_the_students_json_and_pdf(tmp_path, student_client, decided):
    instance = decided.instances[2]
    out = tmp_path / "b.json"
    call_command("bulletin", student="12345678901", semester=instance.pk, format="json", output=str(out),
                 stdout=StringIO())
    page = student_client.get(reverse("portal:api_bulletin", args=[instance.pk])).json()
    written = json.loads(out.read_text())
    assert {k: v for k, v in written.items() if k != "url"} == {k: v for k, v in page.items() if k != "url"}
    pdf = tmp_path / "b.pdf"
    Student.objects.filter(ine="12345678901").update(nip="21900001")
    call_command("bulletin", student="21900001", semester=instance.pk, format="pdf", output=str(pdf),
                 stdout=StringIO())  # the student's NIP works as well as their INE
    assert "11,19" in "\n".join(pdf_pages(pdf.read_bytes()))


def test_the_bulletin_command_names_what_it_cannot_find(tmp_path, decided):
    with pytest.raises(CommandError, match="Aucun étudiant d'INE ou de NIP 00000000000"):
        call_command("bulletin", student="00000000000", semester=decided.instances[1].pk,
                     output=str(tmp_path / "x"))
    Enrolment.objects.filter(student=decided.alice, semester_instance=decided.instances[2]).delete()
    with pytest.raises(CommandError, match="n'est pas inscrit"):
        call_command("bulletin", student="12345678901", semester=decided.instances[2].pk,
                     output=str(tmp_path / "x"))


def test_the_chart_shows_validated_in_progress_and_not_started_levels(student_client, decided):
    s3 = Semester.objects.create(programme=decided.programme, number=3)
    level_2 = CompetenceLevel.objects.create(competence=Competence.objects.get(code="C1"), level=2, label="niveau 2")
    UE.objects.create(semester=s3, code="UE3.1", competence_level=level_2, ects=Decimal("15"))
    response = student_client.get(reverse("portal:my_results"))
    competences = {c.code: [cell.state for cell in c.levels] for c in response.context["results"].competences}
    assert competences == {"C1": ["validated", "not_started"], "C2": ["in_progress"]}
    page = response.content.decode()
    assert page.count('class="level validated"') == 1 and page.count('class="level in_progress"') == 1
    assert page.count('class="level not_started"') == 1
    assert "Spécifier — niveau 1 : validé" in page and decided.bob.first_name not in page


def test_the_bulletin_leaves_out_the_narrow_screens_cards(student_client, decided):
    response = student_client.get(reverse("portal:my_bulletin_pdf", args=[decided.instances[2].pk]))
    text = "\n".join(pdf_pages(response.content))
    assert text.count("ECTS acquis dans ce semestre") == 1 and "modules et leurs notes" not in text
