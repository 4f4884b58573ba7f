import uuid

import pytest
from django.test import override_settings
from django.utils import translation
from django.utils.datastructures import MultiValueDict

from portfolio.forms.ideas import TEXT_MAX_LENGTH, AnswerForm, IdeaForm
from tests.portfolio.conftest import PDF_BYTES, PNG_BYTES, upload
from tests.portfolio.factories import ChallengeFactory, IdeaFactory

pytestmark = pytest.mark.django_db


def _data(user, **overrides):
    data = {
        "title": "Text reminders before visits",
        "problem": "Patients forget their appointments.",
        "clinic": str(user.clinic_id),
        "submission_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def _form(user, files=(), **overrides):
    return IdeaForm(
        _data(user, **overrides), MultiValueDict({"attachments": list(files)}), user=user
    )


def test_a_need_alone_is_a_valid_idea(staff_user):
    form = _form(staff_user)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["proposal"] == ""


def test_clinic_is_preset_to_the_persons_clinic(staff_user):
    form = IdeaForm(user=staff_user)

    assert form["clinic"].value() == staff_user.clinic_id
    assert list(form.fields["clinic"].queryset) == [staff_user.clinic]


def test_empty_title_and_problem_are_refused(staff_user):
    form = _form(staff_user, title="  ", problem="")

    assert not form.is_valid()
    assert set(form.errors) >= {"title", "problem"}


def test_very_long_texts_are_refused(staff_user):
    form = _form(staff_user, title="x" * 201, problem="y" * (TEXT_MAX_LENGTH + 1))

    assert not form.is_valid()
    assert set(form.errors) >= {"title", "problem"}


def test_every_field_has_a_label_and_help_text(staff_user):
    form = IdeaForm(user=staff_user)

    for name, field in form.fields.items():
        if field.widget.is_hidden:
            continue
        assert field.label, name
        assert field.help_text, name


def test_a_clinic_that_is_not_the_persons_own_is_refused(staff_user, other_clinic):
    form = _form(staff_user, clinic=str(other_clinic.pk))

    assert not form.is_valid()
    assert "clinic" in form.errors


def test_a_challenge_of_another_region_is_refused(staff_user, foreign_clinic):
    foreign = ChallengeFactory(clinic=foreign_clinic)

    form = _form(staff_user, challenge=str(foreign.pk))

    assert not form.is_valid()
    assert "challenge" in form.errors


def test_a_challenge_of_another_clinic_is_refused_but_region_wide_ones_are_open(
    staff_user, other_clinic, region, leader
):
    other_clinics = ChallengeFactory(clinic=other_clinic)
    region_wide = ChallengeFactory(clinic=None, region=region, posted_by=leader)

    assert "challenge" in _form(staff_user, challenge=str(other_clinics.pk)).errors
    assert _form(staff_user, challenge=str(region_wide.pk)).is_valid()


def test_a_closed_challenge_is_refused(staff_user, clinic):
    import datetime

    closed = ChallengeFactory(clinic=clinic, closes_on=datetime.date(2020, 1, 1))

    assert "challenge" in _form(staff_user, challenge=str(closed.pk)).errors


def test_a_wrong_type_file_is_refused_next_to_the_field(staff_user):
    form = _form(staff_user, files=[upload("virus.png", b"MZ\x90\x00 not an image")])

    assert not form.is_valid()
    assert "virus.png" in " ".join(form.errors["attachments"])


@override_settings(ATTACHMENT_MAX_BYTES=1000)
def test_an_oversized_file_is_refused(staff_user):
    form = _form(staff_user, files=[upload("big.pdf", PDF_BYTES + b"0" * 2000)])

    assert not form.is_valid()
    assert "big.pdf" in " ".join(form.errors["attachments"])


def test_several_good_files_are_accepted(staff_user):
    form = _form(staff_user, files=[upload("a.png", PNG_BYTES), upload("b.pdf", PDF_BYTES)])

    assert form.is_valid(), form.errors
    assert [f.name for f in form.cleaned_data["attachments"]] == ["a.png", "b.pdf"]


def test_an_invalid_submit_names_the_chosen_file_and_asks_for_it_again(staff_user):
    form = _form(staff_user, files=[upload("photo.png", PNG_BYTES)], title="")

    with translation.override("en"):
        assert not form.is_valid()
    message = " ".join(form.errors["attachments"])
    assert "photo.png" in message
    assert "choose the file again" in message


def test_editing_keeps_a_closed_challenge_the_idea_already_answers(staff_user, clinic):
    import datetime

    closed = ChallengeFactory(clinic=clinic, closes_on=datetime.date(2020, 1, 1))
    idea = IdeaFactory(submitter=staff_user, challenge=closed)

    form = IdeaForm(
        {**_data(staff_user, challenge=str(closed.pk)), "version": idea.version},
        user=staff_user,
        instance=idea,
    )

    assert form.is_valid(), form.errors
    assert "submission_token" not in form.fields


def test_an_answer_of_only_spaces_is_refused():
    form = AnswerForm({"q1-answer": "   "}, question_id=1)

    assert not form.is_valid()


@pytest.mark.parametrize("title", ["Reminders\r\nBcc: x@example.org", "Two\nlines", "Tab\vbreak"])
def test_a_title_with_a_line_break_is_refused(staff_user, title):
    form = _form(staff_user, title=title)

    assert not form.is_valid()
    assert form.errors["title"] == ["Write this on one line, without line breaks."]


def test_the_line_break_error_is_translated(staff_user):
    for language, message in (
        ("sv", "Skriv detta på en rad, utan radbrytningar."),
        ("da", "Skriv dette på én linje, uden linjeskift."),
    ):
        with translation.override(language):
            form = _form(staff_user, title="Two\nlines")
            assert form.errors["title"] == [message]


def test_one_bad_file_among_good_ones_names_them_all(staff_user):
    form = _form(
        staff_user,
        files=[
            upload("a.png", PNG_BYTES),
            upload("empty.png", b""),
            upload("b.pdf", PDF_BYTES),
        ],
    )

    assert not form.is_valid()
    assert form.errors["attachments"] == [
        "“empty.png”: The submitted file is empty.",
        "You had chosen “a.png”, “empty.png”, “b.pdf”: please choose the files again.",
    ]


def test_a_damaged_version_is_a_stale_form(staff_user):
    idea = IdeaFactory(submitter=staff_user)
    form = IdeaForm(
        _data(staff_user, version="2024-02-30T10:00:00"), instance=idea, user=staff_user
    )

    assert not form.is_valid()
    assert "another window" in form.non_field_errors()[0]
    assert form.non_field_errors().as_data()[0].code == "stale"
