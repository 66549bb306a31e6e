"""Headless Chromium at 390 × 844: a teacher takes a roll call with a thumb (a tap on a name marks absent, another
late), saves it in one step, and corrects it from the keyboard; the page never scrolls sideways."""
from pathlib import Path

import pytest
from django.urls import reverse

from grading.models import AttendanceMark, AttendanceSlot, ModuleResponsible
from grading.selectors.attendance import slot_enrolments
from tests.browser.browsing import log_in, orm, wait_until

SHOTS = Path(__file__).resolve().parent / "screenshots"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def roll(users, make_semester_instance):
    instance = make_semester_instance(students=8)
    module = instance.semester.modules.order_by("code").first()
    ModuleResponsible.objects.create(semester_instance=instance, module=module, user=users["teacher"])
    group = instance.groups.get(name="TD1")
    return instance, module, group, list(slot_enrolments(semester_instance=instance, group=group))


def test_a_roll_call_taken_on_a_phone(browser, live_server, roll):
    instance, module, group, members = roll
    phone = browser.new_page(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    log_in(phone, live_server, "enseignant")
    phone.goto(live_server.url + reverse("grading:roll_call", args=[instance.pk]))
    phone.select_option("#id_group", str(group.pk))
    phone.fill("#id_date", "2025-10-06")
    phone.fill("#id_start", "08:00")
    phone.fill("#id_end", "10:00")
    phone.click(".roll-slot button[type=submit]")
    rows = phone.locator(".roll-row")
    wait_until(phone, "document.querySelectorAll('.roll-row').length > 0")
    assert rows.count() == len(members)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone.locator("[data-count=absent]").inner_text() == "0"
    rows.nth(0).locator(".roll-name").tap()  # absent
    rows.nth(1).locator(".roll-name").tap()
    rows.nth(1).locator(".roll-name").tap()  # late
    wait_until(phone, "document.querySelector('[data-count=absent]').textContent === '1'")
    assert phone.locator("[data-count=late]").inner_text() == "1"
    SHOTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(SHOTS / "appel-390.png"), full_page=True)
    box = phone.locator(".roll-save").bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
    with phone.expect_navigation(url="**/appels/*/"):
        phone.locator(".roll-save").tap()
    wait_until(phone, "document.querySelector('.roll-choice .badge') !== null")
    slot = orm(lambda: AttendanceSlot.objects.get())
    marks = orm(lambda: dict(AttendanceMark.objects.filter(slot=slot).values_list("enrolment_id", "status")))
    assert marks == {members[0].pk: "absent", members[1].pk: "late",
                     **{m.pk: "present" for m in members[2:]}}
    # corrected from the keyboard: P on the first student (then the focus moves on), A on the second
    phone.locator(".roll-row").nth(0).locator(".roll-name").focus()
    phone.keyboard.press("p")
    assert phone.evaluate("document.activeElement.closest('.roll-row').dataset.enrolment") == str(members[1].pk)
    phone.keyboard.press("a")
    with phone.expect_navigation(url="**/appels/*/"):
        phone.locator(".roll-save").tap()
    wait_until(phone, "document.body.textContent.includes('Corrections')")
    marks = orm(lambda: dict(AttendanceMark.objects.filter(slot=slot).values_list("enrolment_id", "status")))
    assert marks[members[0].pk] == "present" and marks[members[1].pk] == "absent"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
