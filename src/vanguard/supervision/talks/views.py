"""Pages of talks and referrals: the talks list and a talk's page (its lifecycle buttons
per role, the notice, the record form), the referred cases (the inspector's workspace),
a case's page with its file, the ZIP and the decision form.

Reads are narrowed by ``org.access.talks``; writes go through ``talks.actions``.
"""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vanguard.audit.log import history_of
from vanguard.core.forms import add_action_errors
from vanguard.exchange.documents import DOCX_TYPE
from vanguard.org import access
from vanguard.org.queries import current_campaign
from vanguard.supervision.models import Referral, Talk
from vanguard.supervision.models.talks import ReferralState, TalkState
from vanguard.supervision.talks import actions
from vanguard.supervision.talks.casefile import build_case_file, case_file_zip
from vanguard.supervision.talks.documents import issuer_of, notice_docx
from vanguard.supervision.talks.forms import (
    DecideForm,
    NotifyForm,
    ProposeTalkForm,
    ReasonForm,
    RecordForm,
    ReferMatterForm,
)

PAGE_SIZE = 50


def _campaign(request):
    return current_campaign(request.POST.get("campaign") or request.GET.get("campaign"))


def _talks(request):
    return access.talks_for(Talk.objects.filter(campaign=_campaign(request)), request.user)


def get_talk_for_view(request, pk):
    """A talk of the current campaign the user may see, else 404."""
    return get_object_or_404(
        _talks(request).select_related(
            "unit", "proposed_by__person", "approved_by__person", "campaign__headquarters__office"
        ),
        pk=pk,
    )


def get_referral_for_view(request, pk):
    """A referral the user may see (office, leader, discipline inspector), else 404."""
    referrals = access.referrals_for(
        Referral.objects.filter(campaign=_campaign(request)), request.user
    )
    return get_object_or_404(
        referrals.select_related("unit", "talk", "campaign__headquarters__office"), pk=pk
    )


UNIT_PART_TALKS = 10


def unit_talks_part(request, unit):
    """``(template, context)`` of a unit's latest talks, for who may read talks; else None."""
    if not access.may_see_talks(request.user):
        return None
    try:
        campaign = current_campaign()
    except Http404:
        return None
    talks = access.talks_for(Talk.objects.filter(campaign=campaign, unit=unit), request.user)
    latest = list(talks.order_by("-proposed_at", "-pk")[:UNIT_PART_TALKS])
    if not latest:
        return None
    return "supervision/talks/_unit_talks.html", {"talks": latest, "unit": unit}


def content_disposition(filename):
    """An attachment named in UTF-8 (RFC 6266), as Chinese file names need."""
    return "attachment; filename*=UTF-8''{}".format(quote(filename))


@login_required
def talk_list(request, *, form=None):
    """Every talk the user sees, newest first, filtered by state; the propose form."""
    access.require(access.may_see_talks(request.user))
    campaign = _campaign(request)
    state = request.GET.get("state", "")
    talks = _talks(request).select_related("unit")
    if state in TalkState.values:
        talks = talks.filter(state=state)
    page = Paginator(talks.order_by("-proposed_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    pager = request.GET.copy()
    pager.pop("page", None)
    may_propose = access.may_propose_talk(request.user)
    context = {
        "campaign": campaign,
        "page": page,
        "talks": page.object_list,
        "states": TalkState.choices,
        "state": state,
        "pager_qs": pager.urlencode(),
        "may_propose": may_propose,
        "form": form or (ProposeTalkForm(campaign=campaign) if may_propose else None),
        "data_at": timezone.now(),
    }
    return render(request, "supervision/talks/talk_list.html", context, status=400 if form else 200)


def _matter(data):
    """What a form proposing a talk or referring a case names: the matter and why."""
    return {key: data[key] for key in ("kind", "object_id", "unit", "reason")}


def _submit(request, form, act, done, then, again):
    """The one shape of a form's POST: a valid form goes to the action; the action's
    refusal goes onto the form, which ``again(form)`` shows once more (400); on success
    ``done`` is said and the browser goes to ``then(result)``."""
    if form.is_valid():
        try:
            result = act(form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(then(result))
    return again(form)


@login_required
@require_POST
def propose_talk(request):
    """The office or a task force proposes a talk."""
    access.require_propose_talk(request.user)
    campaign = _campaign(request)
    return _submit(
        request,
        ProposeTalkForm(request.POST, campaign=campaign),
        lambda data: actions.do_propose_talk(
            campaign, talk_type=data["talk_type"], actor=request.user, **_matter(data)
        ),
        _("Talk proposed; it waits for a leader's approval."),
        lambda talk: reverse("talks:talk_detail", args=[talk.pk]),
        lambda form: talk_list(request, form=form),
    )


@login_required
def talk_detail(request, pk, *, forms=None):
    """One talk: the matter, its state, the notice, the record; the buttons of each role."""
    access.require(access.may_see_talks(request.user))
    talk = get_talk_for_view(request, pk)
    forms = forms or {}
    user = request.user
    conduct = access.may_conduct_talk(user)
    referral = Referral.objects.filter(talk=talk).first()
    context = {
        "talk": talk,
        "interviewers": list(talk.interviewers.all()),
        "interviewees": list(talk.interviewees.all()),
        "referral": referral if referral and access.may_see_referrals(user) else None,
        "may_approve": talk.state == TalkState.PROPOSED and access.may_approve_talk(user),
        "may_notify": talk.state == TalkState.APPROVED and conduct,
        "may_record": talk.state == TalkState.NOTIFIED and conduct,
        "may_follow_up": talk.state == TalkState.HELD and conduct,
        "may_refer": talk.state == TalkState.REFERRAL_PROPOSED and access.may_refer_case(user),
        "notify_form": forms.get("notify") or NotifyForm(initial={"version": talk.version}),
        "record_form": forms.get("record")
        or RecordForm(talk=talk, initial={"version": talk.version, "place": talk.place}),
        "refer_form": forms.get("refer") or ReasonForm(initial={"version": talk.version}),
        "dismiss_form": forms.get("dismiss") or ReasonForm(initial={"version": talk.version}),
        "history": history_of(talk)[:20],
        # A refused form whose card this state no longer shows still says why.
        "refusals": [message for form in forms.values() for message in form.non_field_errors()],
        "today": timezone.localdate(),
        "data_at": timezone.now(),
    }
    status = 400 if forms else 200
    return render(request, "supervision/talks/talk_detail.html", context, status=status)


def _talk_post(request, pk, name, form_class, act, done):
    """A form about one talk: its action, then the talk's page (again with the form's
    errors when refused)."""
    access.require(access.may_see_talks(request.user))
    talk = get_talk_for_view(request, pk)
    extra = {"talk": talk} if form_class is RecordForm else {}
    return _submit(
        request,
        form_class(request.POST, **extra),
        lambda data: act(talk, data),
        done,
        lambda _result: reverse("talks:talk_detail", args=[talk.pk]),
        lambda form: talk_detail(request, pk, forms={name: form}),
    )


def _talk_step(request, pk, act, said):
    """A button on a talk's page (approve, follow up): the action at the version shown,
    a refusal said as a message, then the talk's page. ``said(talk)`` is ``(level, text)``."""
    talk = get_talk_for_view(request, pk)
    try:
        talk = act(talk, version=request.POST.get("version") or None)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        level, text = said(talk)
        messages.add_message(request, level, text)
    return redirect("talks:talk_detail", talk.pk)


@login_required
@require_POST
def approve_talk(request, pk):
    """A leader approves a proposed talk."""
    access.require_approve_talk(request.user)
    return _talk_step(
        request,
        pk,
        lambda talk, version: actions.do_approve_talk(talk, actor=request.user, version=version),
        lambda talk: (messages.SUCCESS, _("Talk approved.")),
    )


@login_required
@require_POST
def notify_talk(request, pk):
    """The office numbers the notice and sets the talk's date and place."""
    access.require_conduct_talk(request.user)
    return _talk_post(
        request,
        pk,
        "notify",
        NotifyForm,
        lambda talk, data: actions.do_notify_talk(
            talk,
            scheduled_on=data["scheduled_on"],
            place=data["place"],
            version=data.get("version"),
            actor=request.user,
        ),
        _("Notice issued; download it from this page."),
    )


@login_required
@require_POST
def record_talk(request, pk):
    """The office records a held talk."""
    access.require_conduct_talk(request.user)
    return _talk_post(
        request,
        pk,
        "record",
        RecordForm,
        lambda talk, data: actions.do_record_talk(
            talk,
            held_on=data["held_on"],
            place=data.get("place", ""),
            interviewers=list(data["interviewers"]),
            interviewees=list(data["interviewees"]),
            facts=data["facts"],
            statement=data.get("statement", ""),
            requirements=data["requirements"],
            pledge=data["pledge"],
            pledge_due=data.get("pledge_due"),
            version=data.get("version"),
            actor=request.user,
        ),
        _("Talk recorded."),
    )


@login_required
@require_POST
def follow_up_talk(request, pk):
    """The office follows a talk up after its pledge deadline."""
    access.require_conduct_talk(request.user)
    return _talk_step(
        request,
        pk,
        lambda talk, version: actions.do_follow_up_talk(talk, actor=request.user, version=version),
        lambda talk: (
            (messages.SUCCESS, _("The matter is no longer red: the talk is closed."))
            if talk.state == TalkState.CLOSED
            else (messages.WARNING, _("The matter is still red: a referral is proposed."))
        ),
    )


@login_required
@require_POST
def refer_talk(request, pk):
    """The office confirms the proposed referral: the case goes to the commission."""
    access.require_refer_case(request.user)
    return _talk_post(
        request,
        pk,
        "refer",
        ReasonForm,
        lambda talk, data: actions.do_refer_case(
            talk=talk, reason=data["reason"], actor=request.user
        ),
        _("Case referred to the discipline commission."),
    )


@login_required
@require_POST
def dismiss_referral(request, pk):
    """The office dismisses the proposed referral with a reason."""
    access.require_refer_case(request.user)
    return _talk_post(
        request,
        pk,
        "dismiss",
        ReasonForm,
        lambda talk, data: actions.do_dismiss_referral(
            talk, reason=data["reason"], version=data.get("version"), actor=request.user
        ),
        _("Referral dismissed; the talk is closed."),
    )


@login_required
def talk_notice(request, pk):
    """The notice (约谈通知书) as DOCX, once the talk is notified."""
    access.require(access.may_see_talks(request.user))
    talk = get_talk_for_view(request, pk)
    if not talk.notice_seq:
        messages.error(request, _("This talk has no notice yet: it is issued once approved."))
        return redirect("talks:talk_detail", talk.pk)
    with translation.override("zh-hans"):
        content = notice_docx(talk, issuer_of(talk.campaign))
    response = HttpResponse(content, content_type=DOCX_TYPE)
    response["Content-Disposition"] = content_disposition("约谈通知书-{}.docx".format(talk.pk))
    return response


@login_required
@require_POST
def refer_matter(request):
    """The office refers a matter to the commission directly, without a talk."""
    access.require_refer_case(request.user)
    campaign = _campaign(request)
    return _submit(
        request,
        ReferMatterForm(request.POST, campaign=campaign),
        lambda data: actions.do_refer_case(campaign=campaign, actor=request.user, **_matter(data)),
        _("Case referred to the discipline commission."),
        lambda referral: reverse("talks:referral_detail", args=[referral.pk]),
        lambda form: referral_list(request, form=form),
    )


@login_required
def referral_list(request, *, form=None):
    """The referred cases (the inspector's workspace): open ones first, then decided."""
    access.require(access.may_see_referrals(request.user))
    campaign = _campaign(request)
    referrals = access.referrals_for(
        Referral.objects.filter(campaign=campaign), request.user
    ).select_related("unit")
    state = request.GET.get("state", "")
    if state in ReferralState.values:
        referrals = referrals.filter(state=state)
    page = Paginator(referrals.order_by("-state", "-referred_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    pager = request.GET.copy()
    pager.pop("page", None)
    context = {
        "campaign": campaign,
        "page": page,
        "referrals": page.object_list,
        "states": ReferralState.choices,
        "state": state,
        "pager_qs": pager.urlencode(),
        "data_at": timezone.now(),
        "form": form
        or (ReferMatterForm(campaign=campaign) if access.may_refer_case(request.user) else None),
    }
    return render(
        request, "supervision/talks/referral_list.html", context, status=400 if form else 200
    )


@login_required
def referral_detail(request, pk, *, form=None):
    """A referred case, its file part by part, the ZIP and the decision form."""
    access.require(access.may_see_referrals(request.user))
    referral = get_referral_for_view(request, pk)
    may_decide = referral.state == ReferralState.REFERRED and access.may_decide_referral(
        request.user
    )
    parts = [
        (name, part, [[row.get(key) for key, _label in part.columns] for row in part.rows])
        for name, part in build_case_file(referral)
    ]
    context = {
        "referral": referral,
        "parts": parts,
        "may_decide": may_decide,
        "form": form or DecideForm(initial={"version": referral.version}),
        "history": history_of(referral)[:20],
        "data_at": timezone.now(),
    }
    return render(
        request, "supervision/talks/referral_detail.html", context, status=400 if form else 200
    )


@login_required
@require_POST
def decide_referral(request, pk):
    """The commission records its decision; the case closes."""
    access.require_decide_referral(request.user)
    referral = get_referral_for_view(request, pk)
    return _submit(
        request,
        DecideForm(request.POST),
        lambda data: actions.do_decide_referral(
            referral,
            measures=data["measures"],
            decided_on=data["decided_on"],
            decision=data["decision"],
            version=data.get("version"),
            actor=request.user,
        ),
        _("Decision recorded; the case is closed."),
        lambda _result: reverse("talks:referral_detail", args=[referral.pk]),
        lambda form: referral_detail(request, pk, form=form),
    )


@login_required
def referral_zip(request, pk):
    """The case file as one ZIP: documents, data and a manifest of SHA-256 hashes."""
    access.require(access.may_see_referrals(request.user))
    referral = get_referral_for_view(request, pk)
    content, filename = case_file_zip(referral)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = content_disposition(filename)
    return response
