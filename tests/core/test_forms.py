"""The one adapter from a service's ValidationError to a form (core.forms)."""

from django import forms
from django.core.exceptions import ValidationError

from core.forms import add_service_errors, form_has_error_code


class TitleForm(forms.Form):
    title = forms.CharField()


def _bound():
    form = TitleForm({"title": "A title"})
    assert form.is_valid()
    return form


def test_an_error_on_a_field_of_the_form_goes_next_to_it():
    form = _bound()

    add_service_errors(form, ValidationError({"title": "Too vague."}))

    assert form.errors == {"title": ["Too vague."]}


def test_an_error_on_a_field_the_form_does_not_show_goes_above_the_form():
    form = _bound()

    add_service_errors(form, ValidationError({"closes_on": "In the past.", "title": "Vague."}))

    assert form.errors["title"] == ["Vague."]
    assert form.non_field_errors() == ["In the past."]


def test_an_error_without_a_field_goes_above_the_form_with_its_code():
    form = _bound()

    add_service_errors(form, ValidationError("Someone else saved it.", code="stale"))

    assert form.non_field_errors() == ["Someone else saved it."]
    assert form_has_error_code(form, "stale")
    assert not form_has_error_code(form, "decided")


def test_a_list_of_errors_keeps_each_one():
    form = _bound()

    add_service_errors(form, ValidationError([ValidationError("One."), ValidationError("Two.")]))

    assert form.non_field_errors() == ["One.", "Two."]
