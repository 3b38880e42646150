# A problem names what it is about by a registered source's key and the thing's id, so
# any source can feed the pool without a foreign key into its app. Filled from the old
# links by 0006; the links are removed by 0007 (each step its own transaction, so that
# PostgreSQL never alters the table while deferred foreign-key checks are pending).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('blockers', '0004_blocker_steps'),
    ]

    operations = [
        migrations.AddField(
            model_name='blocker',
            name='source_kind',
            field=models.CharField(blank=True, default='', max_length=32, verbose_name='source'),
        ),
        migrations.AddField(
            model_name='blocker',
            name='source_id',
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name='about'),
        ),
        migrations.AddField(
            model_name='blocker',
            name='occasion_id',
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name='raised in'),
        ),
    ]
