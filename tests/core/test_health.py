"""/health/ names what is wrong; /metrics answers its token holder; logs name the request."""

import json
import logging
import time

import pytest
from django.db import connection
from huey import MemoryHuey

from vanguard.core import health, logs, slowqueries
from vanguard.core.tasks import scheduler_heartbeat


@pytest.fixture
def scheduled(monkeypatch):
    """A queue with a real scheduler (not jobs run in place), and no heartbeat yet."""
    queue = MemoryHuey("health-test", immediate=False)
    monkeypatch.setattr(health, "HUEY", queue)
    return queue


def test_health_is_ok_and_names_each_check(client, db):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert list(body["checks"]) == ["database", "queue", "scheduler", "disk"]
    assert all(check["ok"] for check in body["checks"].values())


def test_a_full_disk_fails_the_health_check(client, db, settings):
    settings.HEALTH_MIN_FREE_MB = 10**12
    response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["disk"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


def test_a_scheduler_that_never_beat_or_stopped_beating_fails(client, db, scheduled):
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["scheduler"] == {"ok": False, "detail": "no heartbeat"}

    scheduler_heartbeat.call_local()
    assert client.get("/health/").status_code == 200

    health.beat(now=time.time() - 600)
    check = client.get("/health/").json()["checks"]["scheduler"]
    assert check["ok"] is False
    assert check["detail"].startswith("last heartbeat 6")


def test_an_unreachable_queue_fails(client, db, scheduled, monkeypatch):
    health.beat()

    def refuse():
        raise ConnectionError("queue down")

    monkeypatch.setattr(scheduled, "pending_count", refuse)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["queue"] == {"ok": False, "detail": "ConnectionError"}


def test_metrics_answer_only_the_token_holder(client, db, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    settings.METRICS_TOKEN = "scrape-secret"
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404

    client.get("/health/")
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-secret")
    assert response.status_code == 200
    text = response.content.decode()
    assert "django_http_requests_total_by_view_transport_method_total" in text
    assert "vanguard_jobs_total" in text


def test_jobs_are_counted_by_task_and_outcome(db, campaign):
    from vanguard.core.metrics import JOBS
    from vanguard.supervision.tasks import recompute_lights

    before = JOBS.labels("recompute_lights", "ok")._value.get()
    recompute_lights(campaign.pk)
    assert JOBS.labels("recompute_lights", "ok")._value.get() == before + 1


def test_a_request_keeps_a_well_formed_id_and_gets_one_otherwise(client, db):
    assert client.get("/health/", HTTP_X_REQUEST_ID="lb-42.a_b")["X-Request-ID"] == "lb-42.a_b"
    fresh = client.get("/health/", HTTP_X_REQUEST_ID="bad id\nwith newline")["X-Request-ID"]
    assert len(fresh) == 32 and fresh.isalnum()


def test_a_slow_query_is_logged_with_its_request_id(client, db, settings, caplog):
    settings.SLOW_QUERY_MS = 0.000001
    slowqueries.install(None, connection)
    caplog.handler.addFilter(logs.RequestIdFilter())
    try:
        with caplog.at_level(logging.WARNING, logger="vanguard.slow_query"):
            client.get("/health/", HTTP_X_REQUEST_ID="req-7")
    finally:
        connection.execute_wrappers.remove(slowqueries.log_slow_queries)
    slow = [r for r in caplog.records if r.name == "vanguard.slow_query"]
    assert slow
    assert all(r.request_id == "req-7" for r in slow)
    assert "SELECT 1" in " ".join(r.getMessage() for r in slow)


def test_json_log_lines_carry_the_request_id():
    token = logs.bind("req-9")
    try:
        record = logging.LogRecord("vanguard", logging.ERROR, __file__, 1, "失败 %s", ("A",), None)
        logs.RequestIdFilter().filter(record)
    finally:
        logs.unbind(token)
    line = json.loads(logs.JsonFormatter().format(record))
    assert line["request_id"] == "req-9"
    assert line["message"] == "失败 A"
    assert line["level"] == "ERROR"
