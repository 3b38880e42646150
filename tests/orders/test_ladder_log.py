"""The ladder's proposals and colour rises go into the change log in bulk: each entry is
what logging the saved object one at a time gives (its snapshot, its name, the action),
the chain stays exact, and ``vanguard audit verify`` and ``verify-bundle`` pass."""

import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from tests.orders.test_ladder import TODAY, red_since
from vanguard.audit.bundle import head_seq, write_bundle
from vanguard.audit.log import snapshot, verify_chain
from vanguard.audit.models import ChangeEntry
from vanguard.projects.models import Project
from vanguard.supervision.models import Proposal, SupervisionOrder
from vanguard.supervision.orders.actions import do_issue_order
from vanguard.supervision.orders.ladder import run_ladder

pytestmark = pytest.mark.django_db


def _entries(model, pk):
    kind = ContentType.objects.get_for_model(model)
    return list(ChangeEntry.objects.filter(content_type=kind, object_id=str(pk)).order_by("seq"))


def test_the_ladders_entries_are_each_objects_snapshot_and_the_chain_holds(
    lit, office_clerk, tmp_path
):
    first = head_seq()
    order = do_issue_order(
        lit,
        subject_kind="project",
        object_id=Project.objects.get(code="XHA-0002").pk,
        problem="滞后",
        requirement="整改",
        colour="blue",
        answer_working_days=5,
        actor=office_clerk,
        now=timezone.make_aware(datetime.datetime(2026, 6, 1, 9)),
    )
    before = snapshot(SupervisionOrder.objects.get(pk=order.pk))  # as stored
    red_since(lit, "XHA-0001", datetime.date(2026, 5, 1))
    result = run_ladder(lit, today=TODAY)
    assert (result.proposed, result.escalated) == ({"order": 1}, 1)

    proposal = Proposal.objects.get()
    (made,) = _entries(Proposal, proposal.pk)
    assert (made.action, made.actor_id, made.actor_name) == ("create", None, "system")
    assert made.object_repr == str(proposal)
    assert made.before is None and made.after == snapshot(proposal)

    order.refresh_from_db()
    risen = _entries(SupervisionOrder, order.pk)[-1]
    assert (risen.action, risen.reason, risen.object_repr) == ("update", "ladder", order.number)
    assert risen.before == before and risen.after == snapshot(order)
    assert (risen.before["colour"], risen.after["colour"]) == ("blue", "yellow")

    # One chain, in order, each entry linked to the one before it.
    assert verify_chain().ok
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    path = tmp_path / "ladder.zip"
    path.write_bytes(write_bundle({"a.txt": b"a"}, first_seq=first + 1, last_seq=head_seq()))
    out = io.StringIO()
    call_command("audit", "verify-bundle", str(path), stdout=out)
    assert "bundle complete and unaltered" in out.getvalue()
