"""The one optimistic-lock check (core.concurrency) and the version field it reads."""

import pytest
from django.core.exceptions import ValidationError

from core.concurrency import VersionField, check_version, parse_version, version_of
from tests.partners.factories import agreement_with_parties
from tests.portfolio.factories import ChallengeFactory


@pytest.mark.parametrize(
    ("value", "parsed"),
    [(3, 3), ("3", 3), (" 7 ", 7), ("1", 1)]
    + [(value, None) for value in (None, "", " ", "x", "0", 0, -1, "-1", "1.5", "²", True, 2.0)],
)
def test_parse_version(value, parsed):
    assert parse_version(value) == parsed


@pytest.mark.parametrize("expected", [4, "4"])
def test_the_current_version_passes(expected):
    check_version(4, expected)


@pytest.mark.parametrize("expected", [3, "5", None, "", "x", "4.0"])
def test_anything_else_is_refused_as_stale(expected):
    with pytest.raises(ValidationError) as refused:
        check_version(4, expected, message="Changed meanwhile.")

    assert refused.value.code == "stale"
    assert refused.value.messages == ["Changed meanwhile."]


def test_the_error_class_and_its_parameters_are_the_callers():
    class Changed(ValidationError):
        pass

    with pytest.raises(Changed) as refused:
        check_version(
            2, 1, message="Now %(stage)s.", params={"stage": "pilot"}, error_class=Changed
        )

    assert refused.value.messages == ["Now pilot."]


@pytest.mark.django_db
def test_every_save_counts_and_the_check_reads_the_models_version_field(leader, clinic):
    challenge = ChallengeFactory(clinic=clinic, posted_by=leader)
    assert challenge.version == 1

    challenge.title = "Renamed"
    challenge.save()
    challenge.save(update_fields=["title", "updated_at", "version"])
    challenge.save(update_fields=["title"])  # a partial save counts only if it names it

    challenge.refresh_from_db()
    assert challenge.version == 3
    assert version_of(challenge) == 3
    check_version(challenge, "3")


@pytest.mark.django_db
def test_an_agreement_is_locked_by_its_revision_not_its_version_number(project, leader):
    agreement = agreement_with_parties(project=project, status="draft")
    agreement.save()

    assert (agreement.version, agreement.revision) == (1, 2)
    assert version_of(agreement) == 2


def test_the_field_is_not_edited_in_forms_and_migrates_plainly():
    field = VersionField("version")

    assert not field.editable and field.default == 1
    assert field.deconstruct()[3] == {"verbose_name": "version"}
