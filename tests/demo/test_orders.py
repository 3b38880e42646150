"""The district demo's supervision orders: every colour in every state, proposals, an exemption."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from vanguard.audit.log import verify_chain
from vanguard.demo.org import DEMO_PASSWORD
from vanguard.supervision.models import Exemption, Proposal, SupervisionOrder
from vanguard.supervision.models.orders import OrderColour, OrderState

pytestmark = pytest.mark.django_db


def test_the_demo_has_orders_of_every_colour_in_every_state_and_their_pages_open(
    settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    call_command("demo", "--scale", "district", "--seed", "5", stdout=io.StringIO())
    pairs = set(SupervisionOrder.objects.values_list("colour", "state"))
    assert {(c, s) for c in OrderColour for s in OrderState} <= pairs
    assert Proposal.objects.filter(state="proposed").exists()
    assert Proposal.objects.filter(state="confirmed").exists()
    assert Proposal.objects.filter(state="dismissed").exists()
    assert Exemption.objects.count() == 1
    assert verify_chain().ok
    reporter = Client()
    reporter.post("/login/", {"username": "reporter_fgj", "password": DEMO_PASSWORD})
    page = reporter.get("/supervision/orders/")
    assert page.status_code == 200 and "督办〔" in page.content.decode()
    office = Client()
    office.post("/login/", {"username": "office", "password": DEMO_PASSWORD})
    assert office.get("/supervision/").status_code == 200
    order = SupervisionOrder.objects.filter(state="closed").first()
    assert office.get("/supervision/orders/{}/".format(order.pk)).status_code == 200
