"""Which promotions (programme × academic year) a user reads as a jury member: Direction and Secrétariat every one;
a Jury-role user those Direction assigned them to, or every one when the department chose so (`AccessPolicy`)."""
from butgmp.roles import Role, has_role
from grading.models import AccessPolicy, JuryPromotion

EVERY = "every"


def jury_promotions(user) -> set[tuple[int, int]] | str:
    """Return EVERY, or the (programme id, academic year id) pairs the user sits for (cached on the user)."""
    cached = getattr(user, "_jury_promotions", None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False):
        found: set | str = set()
    elif has_role(user, Role.DIRECTION, Role.SECRETARIAT):
        found = EVERY
    elif not has_role(user, Role.JURY):
        found = set()
    elif AccessPolicy.objects.filter(jury_every_promotion=True).exists():
        found = EVERY
    else:
        found = set(JuryPromotion.objects.filter(user=user).values_list("programme_id", "academic_year_id"))
    user._jury_promotions = found
    return found


def sits_for(user, *, programme_id: int, academic_year_id: int) -> bool:
    """Tell whether the user reads this promotion's reports and may sit on its juries."""
    promotions = jury_promotions(user)
    return promotions == EVERY or (programme_id, academic_year_id) in promotions


def sits_for_instances(user, instances) -> bool:
    """Tell whether the user sits for the promotion of every given semester instance."""
    return all(sits_for(user, programme_id=i.semester.programme_id, academic_year_id=i.academic_year_id)
               for i in instances)
