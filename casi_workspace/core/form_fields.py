"""Form fields shared by the public and admin forms."""

from __future__ import annotations

from django import forms


class SingleLineField(forms.CharField):
    """A one-line text (a name, a title, a commune): line breaks, tabs and runs of spaces become one space.

    Such values reach email subjects, CSV cells and page titles, where a pasted line break would split them.
    """

    def to_python(self, value):
        value = super().to_python(value)
        return " ".join(value.split()) if value else value


class FilteredCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes for a long list (countries): a scrolling list with a box that filters it as one types
    (choice_filter.js; without script, the list scrolls). Rendered by includes/choice_fieldset.html."""

    filterable = True
