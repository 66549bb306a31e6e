"""Direction's choices of who sits on which promotion's juries, journaled (`AuditEntry`)."""
from django.db import transaction

from butgmp.roles import Role, has_role
from grading.models import AcademicYear, AccessPolicy, AuditEntry, JuryPromotion
from grading.services.audit_entries import audit_row, batch_key
from grading.services.errors import ServiceError

NOT_JURY = "{name} n'a pas le rôle Jury : seuls les membres de jury siègent pour une promotion."


def _names(users) -> str:
    return ", ".join(sorted(u.get_full_name() or u.username for u in users))


def promotion_members_set(*, programme, academic_year: AcademicYear, members: list, user) -> bool:
    """Make `members` (Jury-role users) the jury members of a promotion; journal the change. Return whether it
    changed anything."""
    for member in members:
        if not has_role(member, Role.JURY):
            raise ServiceError(NOT_JURY.format(name=member.get_full_name() or member.username))
    with transaction.atomic():
        current = list(JuryPromotion.objects.select_for_update().filter(programme=programme,
                                                                         academic_year=academic_year)
                       .select_related("user"))
        before, after = {p.user_id for p in current}, {m.pk for m in members}
        if before == after:
            return False
        JuryPromotion.objects.filter(programme=programme, academic_year=academic_year,
                                     user_id__in=before - after).delete()
        JuryPromotion.objects.bulk_create([JuryPromotion(user=m, programme=programme, academic_year=academic_year)
                                           for m in members if m.pk not in before])
        row = audit_row(obj=programme, action="update", user=user, source=AuditEntry.Source.APP,
                        batch=batch_key("jury"), field=f"jury {academic_year}",
                        old=_names(p.user for p in current), new=_names(members))
        row.save()
    return True


def jury_every_promotion_set(*, value: bool, user) -> bool:
    """Set the department's choice « every Jury-role user sits for every promotion »; journal it."""
    with transaction.atomic():
        policy = AccessPolicy.objects.select_for_update().first() or AccessPolicy.objects.create()
        if policy.jury_every_promotion == value:
            return False
        old = policy.jury_every_promotion
        policy.jury_every_promotion = value
        policy.save(update_fields=["jury_every_promotion"])
        audit_row(obj=policy, action="update", user=user, source=AuditEntry.Source.APP, batch=batch_key("jury"),
                  field="jury_every_promotion", old=old, new=value).save()
    return True
