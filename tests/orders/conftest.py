"""A campaign with a project of each reporting unit, their lights computed, and API clients."""

import pytest
from django.core.management import call_command
from django.test import Client

from tests.projects.conftest import fgj_project, hdjd_project, plan, projects_member

__all__ = ["fgj_project", "hdjd_project", "plan", "projects_member"]


@pytest.fixture
def lit(plan, fgj_project, hdjd_project):
    """Both projects with their lights computed, so orders can name them."""
    import io

    call_command("lights", "recompute", "--campaign", plan.code, stdout=io.StringIO())
    return plan


@pytest.fixture
def api(db):
    """An API client of a user, through a bearer token."""
    from vanguard.accounts.tokens import do_create_token

    def _client(user):
        return Client(HTTP_AUTHORIZATION="Bearer " + do_create_token(user.username))

    return _client


def issue(client, code="XHA-0001", colour="yellow", **extra):
    """Issue an order about a project through the API; the response's JSON."""
    body = {
        "subject_kind": "project",
        "subject": code,
        "problem": "开工滞后",
        "requirement": "五个工作日内报送整改措施",
        "colour": colour,
        **extra,
    }
    response = client.post("/api/v1/orders", body, content_type="application/json")
    assert response.status_code == 201, response.content.decode()
    return response.json()


def pdf(name="整改报告.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n", "application/pdf")
