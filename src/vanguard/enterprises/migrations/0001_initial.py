"""Sectors, key enterprises, their monthly figures and visits, moved from the indicators app.

The tables stay where they are (``indicators_*``): this migration only tells Django's
state that the models now belong here; ``indicators.0004`` drops them from that app's
state. No row is copied.
"""

import django.db.models.deletion
import django.utils.timezone
import vanguard.enterprises.credit_code
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('indicators', '0003_project_increment_rate'),
        ('org', '0002_unit_short_name_and_aliases'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Sector',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, verbose_name='name')),
                        ('measures', models.TextField(blank=True, verbose_name='sector plan measures')),
                        ('guidance_growth_pct', models.DecimalField(blank=True, decimal_places=2, max_digits=7, null=True, verbose_name='guidance target growth (%)')),
                        ('sort_order', models.PositiveIntegerField(default=0, verbose_name='order')),
                        ('version', models.PositiveIntegerField(default=1, verbose_name='version')),
                        ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sectors', to='org.campaign', verbose_name='campaign')),
                        ('indicator', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='sectors', to='indicators.indicator', verbose_name='main indicator fed')),
                        ('responsible_unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='sectors', to='org.unit', verbose_name='responsible unit')),
                    ],
                    options={
                        'verbose_name': 'sector',
                        'verbose_name_plural': 'sectors',
                        'db_table': 'indicators_sector',
                        'ordering': ['campaign', 'sort_order', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='KeyEnterprise',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('credit_code', models.CharField(max_length=18, validators=[vanguard.enterprises.credit_code.validate_credit_code], verbose_name='unified social credit code')),
                        ('figure_kind', models.CharField(choices=[('output', 'Output value'), ('revenue', 'Revenue')], default='output', max_length=16, verbose_name='monthly figure')),
                        ('contact_name', models.CharField(blank=True, max_length=100, verbose_name='contact')),
                        ('contact_phone', models.CharField(blank=True, max_length=32, verbose_name='contact phone')),
                        ('expectation_yuan', models.BigIntegerField(blank=True, null=True, verbose_name='expectation for the rest of the year (yuan)')),
                        ('expectation_on', models.DateField(blank=True, null=True, verbose_name='expectation given on')),
                        ('version', models.PositiveIntegerField(default=1, verbose_name='version')),
                        ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='key_enterprises', to='org.campaign', verbose_name='campaign')),
                        ('serving_unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='served_enterprises', to='org.unit', verbose_name='serving unit')),
                        ('sector', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='enterprises', to='enterprises.sector', verbose_name='sector')),
                    ],
                    options={
                        'verbose_name': 'key enterprise',
                        'verbose_name_plural': 'key enterprises',
                        'db_table': 'indicators_keyenterprise',
                        'ordering': ['campaign', 'sector', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='Visit',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('visited_on', models.DateField(verbose_name='visited on')),
                        ('visitors', models.CharField(max_length=300, verbose_name='visitors')),
                        ('findings', models.TextField(blank=True, verbose_name='findings')),
                        ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='recorded at')),
                        ('enterprise', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='visits', to='enterprises.keyenterprise', verbose_name='key enterprise')),
                        ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                    ],
                    options={
                        'verbose_name': 'visit',
                        'verbose_name_plural': 'visits',
                        'db_table': 'indicators_visit',
                        'ordering': ['enterprise', '-visited_on'],
                    },
                ),
                migrations.CreateModel(
                    name='EnterpriseMonth',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('month', models.DateField(verbose_name='month')),
                        ('value_yuan', models.BigIntegerField(verbose_name='value (yuan)')),
                        ('last_year_yuan', models.BigIntegerField(blank=True, null=True, verbose_name='same month last year (yuan)')),
                        ('version', models.PositiveIntegerField(default=1, verbose_name='version')),
                        ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='recorded at')),
                        ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                        ('enterprise', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='months', to='enterprises.keyenterprise', verbose_name='key enterprise')),
                    ],
                    options={
                        'verbose_name': 'enterprise monthly figure',
                        'verbose_name_plural': 'enterprise monthly figures',
                        'db_table': 'indicators_enterprisemonth',
                        'ordering': ['enterprise', 'month'],
                        'indexes': [models.Index(fields=['month'], name='enterprise_month_month_idx')],
                        'constraints': [models.UniqueConstraint(fields=('enterprise', 'month'), name='enterprise_month_once'), models.CheckConstraint(condition=models.Q(('value_yuan__gte', 0)), name='enterprise_month_value_positive'), models.CheckConstraint(condition=models.Q(('last_year_yuan__isnull', True), ('last_year_yuan__gte', 0), _connector='OR'), name='enterprise_month_last_year_positive')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='sector',
                    constraint=models.UniqueConstraint(fields=('campaign', 'name'), name='sector_name_unique'),
                ),
                migrations.AddIndex(
                    model_name='keyenterprise',
                    index=models.Index(fields=['serving_unit', 'sector'], name='enterprise_unit_sector_idx'),
                ),
                migrations.AddConstraint(
                    model_name='keyenterprise',
                    constraint=models.UniqueConstraint(fields=('campaign', 'credit_code'), name='key_enterprise_credit_code_unique'),
                ),
                migrations.AddConstraint(
                    model_name='keyenterprise',
                    constraint=models.CheckConstraint(condition=models.Q(('expectation_yuan__isnull', True), ('expectation_yuan__gte', 0), _connector='OR'), name='key_enterprise_expectation_positive'),
                ),
                migrations.AddIndex(
                    model_name='visit',
                    index=models.Index(fields=['enterprise', 'visited_on'], name='visit_enterprise_idx'),
                ),
            ],
            database_operations=[],
        ),
    ]
