
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('curriculum', '0002_referentiel_and_apogee_codes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='referencechange',
            name='source',
            field=models.CharField(choices=[('referentiel', 'Import du référentiel'), ('admin', 'Administration')], default='referentiel', max_length=12, verbose_name='origine'),
        ),
    ]
