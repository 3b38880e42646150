"""The load benchmark (bench/load.py) run for a few seconds against a live server.

Its generator sends the deadline mix through the real doors (the login page, the report
and correction forms with their CSRF tokens, the certification queue, the API with
tokens) from threads, in both load models; its verifier then reads the database. The
test asserts what the benchmark promises, never how fast: no request failed, every
acknowledged write is stored once with its values and logged, every refused one left
nothing. It cannot pass empty-handed: reports must have been filed, revised and
certified through both doors.
"""

import random
import sys
from pathlib import Path

import pytest

from tests.conftest import PASSWORD
from vanguard.core.money import YI
from vanguard.projects.actions import do_create_project

BENCH = Path(__file__).resolve().parents[2] / "bench"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def bench():
    sys.path.insert(0, str(BENCH))
    try:
        import loadcheck
        import loadgen
        import loadhttp

        yield loadcheck, loadgen, loadhttp
    finally:
        sys.path.remove(str(BENCH))


@pytest.fixture
def district(plan, fgj, hdjd, fgj_reporter, hdjd_reporter, projects_member, office_clerk, leader):
    for i in range(6):
        do_create_project(
            campaign=plan,
            code="LD-{:04d}".format(i),
            name="负荷项目{}".format(i),
            lead_unit=fgj if i % 2 else hdjd,
            investment_yuan=20 * YI,
            actor=office_clerk,
        )


def test_a_short_run_of_both_models_loses_no_write(district, live_server, bench):
    loadcheck, loadgen, loadhttp = bench
    prepared, state = loadcheck.setup(run="t", page_reporters=2, password=PASSWORD)
    recorder = loadhttp.Recorder()
    client = loadhttp.Client(live_server.url, recorder, timeout=60)
    people = [r["username"] for r in prepared["page_reporters"]]
    people += [prepared["leader"], prepared["office"], prepared["task_force"]]
    sessions = {name: loadhttp.sign_in(client, name, PASSWORD) for name in set(people)}
    mix = loadgen.Mix(client, loadgen.World(prepared, sessions))

    try:
        loadgen.closed(mix, 4, 3.0, max_requests=400)
        # Threads enough for every arrival: whether the server keeps up is not asserted.
        loadgen.opened(mix, 8, 2.0, max_requests=200, threads=64)
        # And every write through each door once more, so none is left to chance.
        rng = random.Random(1)
        for action in ("file by page", "file by API", "certify by API"):
            mix.run(action, rng)
        for action in ("file by API", "file by page", "certify by page"):
            mix.run(action, rng)
    finally:
        client.close()

    failed = [
        (kind, detail) for (kind, outcome), detail in recorder.details.items() if outcome == "error"
    ]
    assert failed == []
    assert not [s for s in recorder.samples if s[1] == "error"]
    result = loadcheck.verify(prepared, state, recorder.writes)
    assert result["shown"] == [] and result["ok"], result
    assert result["lost_writes"] == 0
    kinds = {kind for kind, _outcome, _seconds in recorder.samples}
    assert {"page: file report", "API: file report", "page: certify", "API: certify"} <= kinds
    assert result["filings"].get("ok", 0) >= 4 and result["certified"]["acknowledged"] >= 1
    assert result["stored"] == result["filings"]["ok"]


def test_the_generator_refuses_a_server_on_another_machine(bench):
    _loadcheck, _loadgen, loadhttp = bench
    with pytest.raises(SystemExit, match="loopback"):
        loadhttp.Client("http://10.1.2.3:8000", loadhttp.Recorder())
