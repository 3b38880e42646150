"""The order pages: the list (colour, state, unit), one order with its lifecycle buttons and
history, issuing an order, and each step posted from the order's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vanguard.core.forms import add_action_errors as form_errors
from vanguard.org import access
from vanguard.org.models import Unit
from vanguard.org.queries import current_campaign
from vanguard.supervision.models import OrderEvidence
from vanguard.supervision.models.orders import OrderColour, OrderState
from vanguard.supervision.orders import queries
from vanguard.supervision.orders.actions import (
    do_answer_order,
    do_close_order,
    do_issue_order,
    do_return_order,
    do_sign_order,
)
from vanguard.supervision.orders.forms import AnswerForm, IssueForm, NoteForm, ReasonForm
from vanguard.supervision.orders.subjects import find_subject

PAGE_SIZE = 50


def campaign_of(request):
    return current_campaign(request.POST.get("campaign") or request.GET.get("campaign"))


def get_order_for_view(request, pk):
    """The current campaign's order ``pk`` if the user may see it, else 404."""
    return get_object_or_404(queries.orders_for(request.user, campaign_of(request)), pk=pk)


@login_required
def order_list(request):
    """Every order the user sees, red first, then by due date; filter by colour, state, unit."""
    if not access.may_see_orders(request.user):
        raise PermissionDenied
    campaign = campaign_of(request)
    today = timezone.localdate()
    soon = queries.soon_date(campaign, today)
    filters = {key: request.GET.get(key, "").strip() for key in queries.FILTERS}
    found = queries.filtered(
        queries.with_timing(queries.orders_for(request.user, campaign), today, soon),
        filters,
        today,
        soon,
    ).annotate(rank=queries.COLOUR_RANK)
    paginator = Paginator(found.order_by("rank", "due_date", "pk"), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    pager = request.GET.copy()
    pager.pop("page", None)
    units = access.restrict(Unit.objects.all(), request.user).order_by("kind", "code")
    unit = units.filter(code=filters["unit"]).first() if filters["unit"] else None
    return render(
        request,
        "supervision/orders/order_list.html",
        {
            "campaign": campaign,
            "filters": filters,
            "unit": unit,
            "units": units.values_list("code", "name"),
            "colours": OrderColour.choices,
            "states": OrderState.choices,
            "page": page,
            "orders": queries.decorate(list(page.object_list)),
            "pager_qs": pager.urlencode(),
            "today": today,
            "data_at": timezone.now(),
        },
    )


@login_required
def order_detail(request, pk, *, forms=None):
    """One order: its content, the buttons the user's role allows now, and its history."""
    order = get_order_for_view(request, pk)
    queries.decorate([order])
    today = timezone.localdate()
    user = request.user
    unanswered = order.state in (OrderState.ISSUED, OrderState.SIGNED, OrderState.RETURNED)
    forms = forms or {}
    context = {
        "order": order,
        "steps": queries.steps_of(order),
        "overdue": unanswered and order.due_date < today,
        "may_sign": order.state == OrderState.ISSUED and access.may_answer_order(user, order),
        "may_answer": order.state in (OrderState.SIGNED, OrderState.RETURNED)
        and access.may_answer_order(user, order),
        "may_verify": order.state == OrderState.ANSWERED and access.may_verify_order(user, order),
        "answer_form": forms.get("answer") or AnswerForm(),
        "close_form": forms.get("close") or NoteForm(),
        "return_form": forms.get("return") or ReasonForm(),
        "data_at": timezone.now(),
    }
    return render(
        request, "supervision/orders/order_detail.html", context, status=400 if forms else 200
    )


def _step(request, pk, form_class, act, done, name, *, may):
    order = get_order_for_view(request, pk)
    # Refused before the form is read: a role that may not act is told so, not "invalid".
    access.require(may(request.user, order))
    form = form_class(request.POST, request.FILES) if form_class else None
    if form is None or form.is_valid():
        try:
            act(order, form.cleaned_data if form else {})
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect(reverse("orders:detail", args=[order.pk]))
            form_errors(form, error)
        else:
            messages.success(request, done.format(number=order.number))
            return redirect(reverse("orders:detail", args=[order.pk]))
    return order_detail(request, pk, forms={name: form})


@login_required
@require_POST
def sign_order(request, pk):
    """The unit signs for the order."""
    return _step(
        request,
        pk,
        None,
        lambda order, data: do_sign_order(order, actor=request.user),
        _("Order {number} signed for."),
        "sign",
        may=access.may_answer_order,
    )


@login_required
@require_POST
def answer_order(request, pk):
    """The unit answers the order with evidence."""
    return _step(
        request,
        pk,
        AnswerForm,
        lambda order, data: do_answer_order(
            order, text=data["text"], files=request.FILES.getlist("files"), actor=request.user
        ),
        _("Order {number} answered."),
        "answer",
        may=access.may_answer_order,
    )


@login_required
@require_POST
def close_order(request, pk):
    """The office or the battle's task force verifies the answer and closes the order."""
    return _step(
        request,
        pk,
        NoteForm,
        lambda order, data: do_close_order(order, note=data["note"], actor=request.user),
        _("Order {number} verified and closed."),
        "close",
        may=access.may_verify_order,
    )


@login_required
@require_POST
def return_order(request, pk):
    """The office or the battle's task force sends the answer back with a reason."""
    return _step(
        request,
        pk,
        ReasonForm,
        lambda order, data: do_return_order(order, reason=data["reason"], actor=request.user),
        _("Order {number} sent back to the unit."),
        "return",
        may=access.may_verify_order,
    )


@login_required
def issue_order(request):
    """The office's form for a new order (also reached from a subject's page)."""
    access.require_issue_orders(request.user)
    campaign = campaign_of(request)
    form = IssueForm(request.POST or None, initial=request.GET.dict() if not request.POST else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        object_id = find_subject(campaign, data["subject_kind"], data["subject"].strip())
        if object_id is None:
            form.add_error("subject", _("No subject of that kind is named so in this campaign."))
        else:
            try:
                order = do_issue_order(
                    campaign,
                    subject_kind=data["subject_kind"],
                    object_id=object_id,
                    unit=data["unit"],
                    responsible=data["responsible"],
                    problem=data["problem"],
                    requirement=data["requirement"],
                    colour=data["colour"],
                    answer_working_days=data["answer_working_days"],
                    actor=request.user,
                )
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, _("Order {number} issued.").format(number=order.number))
                return redirect(reverse("orders:detail", args=[order.pk]))
    return render(
        request,
        "supervision/orders/order_form.html",
        {"form": form, "campaign": campaign},
        status=400 if form.errors else 200,
    )


@login_required
def evidence_file(request, pk, file_id):
    """An answer's evidence file, to whoever may see the order."""
    order = get_order_for_view(request, pk)
    evidence = OrderEvidence.objects.filter(order=order, pk=file_id).first()
    if evidence is None or not evidence.file:
        raise Http404
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name)
