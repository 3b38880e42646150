"""The project admin shows a key node's not-needed reason and evidence without a file link."""

from django.core.files.uploadedfile import SimpleUploadedFile

from vanguard.projects.actions import do_attach_milestone_evidence, do_set_milestone_not_needed
from vanguard.projects.models import Milestone


def test_the_admin_names_the_reason_and_the_evidence_file_but_serves_no_file(
    login, sysadmin, office_clerk, fgj_project, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    milestones = Milestone.objects.filter(project=fgj_project)
    do_set_milestone_not_needed(
        milestones.get(node__code="project_approval"), actor=office_clerk, reason="并入园区立项"
    )
    stored = do_attach_milestone_evidence(
        milestones.get(node__code="land_use"),
        SimpleUploadedFile("用地批复.pdf", b"%PDF-1.7\n%%EOF\n"),
        actor=office_clerk,
    )
    page = login(sysadmin).get("/admin/projects/project/{}/change/".format(fgj_project.pk))
    html = page.content.decode()
    assert "并入园区立项" in html
    assert "XHA-0001-land_use-用地批复.pdf" in html
    assert 'href="{}"'.format(stored.evidence.name) not in html
    assert 'href="/{}"'.format(stored.evidence.name) not in html
