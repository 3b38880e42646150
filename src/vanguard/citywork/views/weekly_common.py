"""What the pages of weekly reports share: the lead unit files a week's report, the task force
verifies or returns it.

A campaign's and a renewal project's reports go the same way; ``ReportPages`` names what
differs: the subject the user sees, its report form, which reports the user sees, the field
of the report's subject, the subject's page, and the actions that file, verify and return.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from vanguard.audit.log import history_of
from vanguard.citywork.forms.reports import ReturnForm, VersionForm
from vanguard.citywork.views.common import add_errors, as_of, campaign_of
from vanguard.core.preconditions import is_stale
from vanguard.org import access
from vanguard.supervision.lights import lights_for


@dataclass(frozen=True)
class ReportPages:
    subject_for_view: Callable  # (request, code) -> the subject, else 404
    light: str  # the kind of light the subject has (citywork.lights)
    report_form: Callable  # (subject, today, data=None) -> the form of its weekly report
    file: Callable  # do_report_...(subject, *, period, ..., version, actor, today)
    reports_for: Callable  # (user, campaign) -> the reports the user sees
    subject: str  # the report's field naming what it reports on: "city_campaign", "project"
    detail_url: Callable  # subject -> the URL of its page
    detail: Callable  # (request, code, *, status) -> the subject's page
    verify: Callable  # do_verify_..._report
    send_back: Callable  # do_return_..._report

    def report(self, request, pk):
        """The report ``pk`` of the current campaign if the user sees it, else 404."""
        return get_object_or_404(
            self.reports_for(request.user, campaign_of(request)).select_related(
                self.subject + "__lead_unit", self.subject + "__campaign"
            ),
            pk=pk,
        )

    def refused(self, request, subject, error):
        """The subject's page saying why: 409 when someone else acted first, else 400."""
        for message in error.messages:
            messages.error(request, message)
        return self.detail(request, subject.code, status=409 if is_stale(error) else 400)


def subject_context(request, subject, pages, report_form, today):
    """What a campaign's and a project's page show alike: light, rights, the report form
    (a fresh one if the user may report and none is given), history, as-of lines."""
    may_report = access.may_report_weekly(request.user, subject)
    if report_form is None and may_report:
        report_form = pages.report_form(subject, today)
    state = lights_for(pages.light, [subject.pk], campaign=subject.campaign)
    return {
        "campaign": subject.campaign,
        "light": state.get(subject.pk),
        "may_report": may_report,
        "may_verify": access.may_verify_weekly(request.user, subject),
        "own_unit": access.reports_for(request.user, subject.lead_unit_id),
        "report_form": report_form,
        "history": history_of(subject)[:20],
        **as_of(subject.campaign),
    }


def file_report(request, code, pages):
    """The lead unit's reporter files (or corrects) a week's report."""
    access.require_participant(request.user)
    subject = pages.subject_for_view(request, code)
    access.require_report_weekly(request.user, subject)
    if request.method != "POST":
        return redirect(pages.detail_url(subject) + "#report-form")
    today = timezone.localdate()
    form = pages.report_form(subject, today, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            report = pages.file(
                subject,
                **data,
                version=request.POST.get("version_" + data["period"]) or None,
                actor=request.user,
                today=today,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("The report of {code} for {week} is submitted for verification.").format(
                    code=subject.code, week=report.period
                ),
            )
            return redirect(pages.detail_url(subject))
    return pages.detail(request, code, report_form=form, status=400)


def verify_report(request, pk, pages):
    """The task force verifies a week's report: it counts from now on."""
    access.require_participant(request.user)
    report = pages.report(request, pk)
    subject = getattr(report, pages.subject)
    access.require_verify_weekly(request.user, subject)
    form = VersionForm(request.POST)
    version = form.cleaned_data.get("version") if form.is_valid() else None
    try:
        pages.verify(report, actor=request.user, version=version)
    except ValidationError as error:
        return pages.refused(request, subject, error)
    messages.success(
        request,
        _("The report of {code} for {week} is verified.").format(
            code=subject.code, week=report.period
        ),
    )
    return redirect(pages.detail_url(subject))


def return_report(request, pk, pages):
    """The task force returns a week's report to the lead unit with a reason."""
    access.require_participant(request.user)
    report = pages.report(request, pk)
    subject = getattr(report, pages.subject)
    access.require_verify_weekly(request.user, subject)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the report is returned."))
        return redirect(pages.detail_url(subject))
    try:
        pages.send_back(
            report,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        return pages.refused(request, subject, error)
    messages.success(
        request,
        _("The report of {code} for {week} is returned to {unit}.").format(
            code=subject.code, week=report.period, unit=subject.lead_unit.name
        ),
    )
    return redirect(pages.detail_url(subject))
