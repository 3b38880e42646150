"""Sectors and key enterprises left the indicators app without a row copied: their tables
keep their names, and the change log written before the move still reads."""

import importlib

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from vanguard.audit.log import history_of, verify_chain
from vanguard.enterprises.models import EnterpriseMonth, KeyEnterprise, Sector, Visit

pytestmark = pytest.mark.django_db

relabelling = importlib.import_module("vanguard.enterprises.migrations.0002_change_log_labels")


def test_the_tables_keep_the_names_they_had_in_the_indicators_app():
    assert [m._meta.db_table for m in (Sector, KeyEnterprise, EnterpriseMonth, Visit)] == [
        "indicators_sector",
        "indicators_keyenterprise",
        "indicators_enterprisemonth",
        "indicators_visit",
    ]


def test_an_enterprises_history_written_before_the_move_names_it_afterwards(enterprise):
    # The log as a database migrated before the move holds it: under indicators.keyenterprise.
    ContentType.objects.filter(app_label="enterprises", model="keyenterprise").update(
        app_label="indicators"
    )
    ContentType.objects.clear_cache()

    relabelling.forwards(apps, None)
    ContentType.objects.clear_cache()

    [created] = history_of(enterprise)
    assert created.content_type.app_label == "enterprises"
    assert created.after["name"] == enterprise.name
    assert verify_chain().broken_seq is None
