"""The projects' campaign and projects, the lists' world, for the queue's tests."""

from tests.lists.conftest import cast, loaded
from tests.orders.conftest import lit
from tests.projects.conftest import fgj_project, hdjd_project, plan, projects_member

__all__ = ["cast", "fgj_project", "hdjd_project", "lit", "loaded", "plan", "projects_member"]
