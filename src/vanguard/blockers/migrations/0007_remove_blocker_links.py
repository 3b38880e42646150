# The pool no longer points into projects or indicators: the links are in each problem's
# source reference now (0006).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('blockers', '0006_blocker_source_from_links'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='blocker',
            name='project',
        ),
        migrations.RemoveField(
            model_name='blocker',
            name='report',
        ),
        migrations.RemoveField(
            model_name='blocker',
            name='enterprise',
        ),
        migrations.RemoveField(
            model_name='blocker',
            name='visit',
        ),
        migrations.AddIndex(
            model_name='blocker',
            index=models.Index(fields=['source_kind', 'source_id'], name='blocker_source_idx'),
        ),
        migrations.AddIndex(
            model_name='blocker',
            index=models.Index(fields=['source_kind', 'occasion_id'], name='blocker_occasion_idx'),
        ),
        migrations.AddConstraint(
            model_name='blocker',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('source_kind', ''), ('source_id__isnull', True), ('occasion_id__isnull', True)), models.Q(models.Q(('source_kind', ''), _negated=True), ('source_id__isnull', False)), _connector='OR'), name='blocker_source_named_whole'),
        ),
    ]
