"""Jury members become users: each session's typed names are matched, line by line, to the active users of
the Jury role whose full name (« Prénom Nom », case and spaces aside) they are; the typed names stay as the
printed snapshot, so a closed jury's PV prints what it printed."""

from django.conf import settings
from django.db import migrations, models


JURY_GROUP = "Jury"


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def link_typed_members(apps, schema_editor):
    JurySession = apps.get_model("grading", "JurySession")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    by_name = {}
    for user in User.objects.filter(is_active=True, groups__name=JURY_GROUP):
        for name in (f"{user.first_name} {user.last_name}", f"{user.last_name} {user.first_name}"):
            by_name.setdefault(_key(name), []).append(user)
    for session in JurySession.objects.exclude(members=""):
        found = [by_name[_key(line)][0] for line in session.members.splitlines()
                 if len(by_name.get(_key(line), ())) == 1]
        if found:
            session.member_users.add(*found)


class Migration(migrations.Migration):

    dependencies = [
        ('grading', '0005_access_reads_batches'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='jurysession',
            name='member_users',
            field=models.ManyToManyField(blank=True, help_text='Choisis parmi les membres de jury affectés à la promotion.', related_name='jury_sessions_sat', to=settings.AUTH_USER_MODEL, verbose_name='membres'),
        ),
        migrations.AlterField(
            model_name='jurysession',
            name='members',
            field=models.TextField(blank=True, help_text="Les noms des membres à l'ouverture du jury, un par ligne, tels que le PV les imprime.", verbose_name='membres (noms imprimés)'),
        ),
        migrations.RunPython(link_typed_members, migrations.RunPython.noop),
    ]
