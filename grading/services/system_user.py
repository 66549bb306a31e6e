"""The account that signs what no person did at a screen: imports run from the command line."""
from django.contrib.auth import get_user_model

SYSTEM_USERNAME = "systeme"


def system_user():
    """Return the system account (created on first use, inactive, no password: nobody logs in with it)."""
    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"first_name": "Système", "last_name": "(ligne de commande)",
                                            "is_active": False})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
