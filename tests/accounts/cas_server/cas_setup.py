"""Create the test CAS server's database and its one service pattern (any loopback service, every attribute)."""
import django
from django.core.management import call_command

django.setup()

from cas_server.models import ReplaceAttributName, ServicePattern  # noqa: E402

call_command("migrate", verbosity=0, interactive=False)
pattern, _ = ServicePattern.objects.get_or_create(
    pattern=r"^http://(127\.0\.0\.1|localhost)(:\d+)?/.*$",
    defaults={"name": "BUT GMP (tests)", "single_log_out": False})
ReplaceAttributName.objects.get_or_create(name="*", service_pattern=pattern)
