"""The discipline inspector reads referred cases, not the units' daily data."""

from tests.conftest import make_person


def test_the_inspector_sees_no_phone_directory_and_no_units_data(
    login, inspector, fgj_reporter, fgj
):
    make_person("zhao", "赵科长", fgj)
    client = login(inspector)
    people = client.get("/org/people/")
    assert "13800000000" not in people.content.decode()
    assert "赵科长" not in people.content.decode()
    export = client.get("/org/people/export.xlsx")
    assert export.status_code in (403, 404) or b"13800000000" not in export.content
    unit = client.get("/org/units/fgj/")
    assert unit.status_code in (403, 404)


def test_the_inspector_is_told_what_the_commission_reads(login, inspector, db):
    from django.conf import settings
    from django.core.management import call_command

    call_command("loadplan", str(settings.PROJECT_DIR / "plans" / "xihaian.yaml"), verbosity=0)
    page = login(inspector).get("/projects/").content.decode()
    assert "纪委监委账号查看移交问责的案件" in page


def test_the_leader_still_reads_everything(login, leader, fgj_reporter):
    assert "13800000000" in login(leader).get("/org/people/").content.decode()
