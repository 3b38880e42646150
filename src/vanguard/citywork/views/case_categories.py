"""The case categories (大类/小类) with their time limits, and the routes that send a
category's cases in a grid to a unit: everyone taking part reads them; the office and the
city-work task force change them (``citywork.actions.case_categories``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vanguard.citywork.actions.case_categories import (
    CATEGORY_FIELDS,
    do_add_case_route,
    do_create_case_category,
    do_remove_case_route,
    do_update_case_category,
)
from vanguard.citywork.forms.cases import CategoryForm, RouteForm
from vanguard.citywork.models import CaseCategory, CaseRoute
from vanguard.citywork.queries import cases as queries
from vanguard.citywork.views.cases import require_see_cases
from vanguard.citywork.views.common import campaign_of
from vanguard.core.forms import add_action_errors
from vanguard.org import access


def _page(request, *, route_form=None, status=200):
    routes = CaseRoute.objects.select_related("category__parent", "grid", "unit").order_by(
        "category__sort_order", "category__code", "grid__code"
    )
    keeps = access.may_keep_cases(request.user)
    return render(
        request,
        "citywork/case_categories.html",
        {
            "campaign": campaign_of(request),
            "groups": queries.categories(),
            "routes": routes,
            "keeps": keeps,
            "route_form": route_form or (RouteForm() if keeps else None),
        },
        status=status,
    )


@login_required
def category_list(request):
    """The category tree with time limits, departments, radii and close conditions; routes."""
    require_see_cases(request.user)
    return _page(request)


def _fields(form):
    return {name: form.cleaned_data.get(name) for name in CATEGORY_FIELDS}


@login_required
def category_new(request):
    """Add a main category or a subcategory."""
    access.require_keep_cases(request.user)
    form = CategoryForm(request.POST or None, initial={"parent": request.GET.get("parent")})
    if request.method == "POST" and form.is_valid():
        try:
            category = do_create_case_category(
                code=form.cleaned_data["code"], actor=request.user, **_fields(form)
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Category {name} is added.").format(name=category.name))
            return redirect("citywork:case_categories")
    return render(
        request,
        "citywork/case_category_form.html",
        {"form": form, "category": None, "campaign": campaign_of(request)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def category_edit(request, code):
    """Change a category: its time limit counts for cases dispatched from then on."""
    access.require_keep_cases(request.user)
    category = get_object_or_404(CaseCategory.objects.select_related("parent", "unit"), code=code)
    initial = CategoryForm.initial_of(category)
    form = CategoryForm(request.POST or None, initial=initial, editing=category)
    if request.method == "POST" and form.is_valid():
        try:
            do_update_case_category(category, actor=request.user, **_fields(form))
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Category {name} is saved.").format(name=category.name))
            return redirect("citywork:case_categories")
    return render(
        request,
        "citywork/case_category_form.html",
        {"form": form, "category": category, "campaign": campaign_of(request)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def route_add(request):
    """Send a category's cases in a grid (or every grid) to a unit."""
    access.require_keep_cases(request.user)
    form = RouteForm(request.POST)
    if form.is_valid():
        try:
            do_add_case_route(**form.cleaned_data, actor=request.user)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The route is added."))
            return redirect("citywork:case_categories")
    return _page(request, route_form=form, status=400)


@login_required
@require_POST
def route_remove(request, pk):
    """Remove a route."""
    access.require_keep_cases(request.user)
    route = get_object_or_404(CaseRoute, pk=pk)
    do_remove_case_route(route, actor=request.user)
    messages.success(request, _("The route is removed."))
    return redirect("citywork:case_categories")
