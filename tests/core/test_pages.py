"""Pages as a signed-in user meets them, with their query counts pinned."""

import pytest
from django.core.management import call_command


@pytest.fixture
def plan(db, settings):
    call_command("loadplan", str(settings.PROJECT_DIR / "plans" / "xihaian.yaml"), verbosity=0)


def test_the_overview_lists_every_target_of_the_source(login, leader, plan):
    content = login(leader).get("/").content.decode()
    for text in (
        "230个",
        "16个",
        "100个",
        "600个",
        "400个",
        "257个",
        "627个",
        "151个",
        "13项",
        "22个",
        "26条",
        "6.5%",
        "10%",
        "高于 全省、全市",
        "不低于引导目标",
    ):
        assert text in content, text
    for name in (
        "重点指标攻坚专班",
        "重大项目攻坚专班",
        "重要工作攻坚专班",
        "月调度",
        "旬调度",
        "周落实",
    ):
        assert name in content


def test_the_target_page_shows_its_trajectory_and_history(login, leader, plan):
    response = login(leader).get("/campaigns/xihaian-2026/targets/projects-introduced-1e8-2026/")
    assert response.status_code == 200, response.status_code
    content = response.content.decode()
    assert "以月保季、以季保年" in content
    assert "trajectory-data" in content
    assert "2026-Q1" in content
    assert "新建" in content  # the plan load is in its change history


def test_an_unknown_target_is_a_404(login, leader, plan):
    assert login(leader).get("/campaigns/xihaian-2026/targets/nothing/").status_code == 404


def test_the_overview_runs_a_fixed_number_of_queries(
    login, leader, plan, django_assert_max_num_queries
):
    client = login(leader)
    # The cockpit: each domain's standings (projects: a count per day per measure;
    # indicators: the month's figures and lights; city work: one aggregate per kind),
    # the ranking, the week's changes; then the leader's work queue and the navigation's
    # counts. A fixed number, however many projects (tests/test_query_counts.py).
    with django_assert_max_num_queries(40):
        client.get("/")


def test_the_people_list_query_count_does_not_grow_with_people(
    login, office_clerk, fgj_reporter, hdjd_reporter, django_assert_max_num_queries
):
    client = login(office_clerk)
    with django_assert_max_num_queries(10):
        client.get("/org/people/")


def test_the_english_switch_translates_the_overview(login, leader, plan):
    client = login(leader)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    content = client.get("/").content.decode()
    assert "Major projects" in content and "Dekad cadence" in content


def test_a_missing_page_answers_in_the_sites_own_chinese_page(client, leader):
    client.force_login(leader)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert 'id="error-page"' in page and "返回总览" in page
