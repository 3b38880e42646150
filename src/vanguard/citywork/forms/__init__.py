"""Forms of the weekly work, by subject."""

from django import forms


def styled(form):
    """Give a form's inputs Bootstrap's small controls."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(
            widget, forms.CheckboxSelectMultiple | forms.CheckboxInput | forms.RadioSelect
        ):
            continue
        css = "form-select form-select-sm" if isinstance(widget, forms.Select) else None
        widget.attrs.setdefault("class", css or "form-control form-control-sm")
    return form
