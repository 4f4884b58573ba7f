"""The one CSV writer (core.csv), and every CSV download of the site through it."""

import pytest
from django.urls import reverse
from django.utils import translation

from core.csv import csv_delimiter, csv_lines, csv_response, neutralise
from tests.downloads import BOM, csv_rows, csv_text
from tests.partners.factories import MilestoneFactory
from tests.portfolio.factories import ProjectFactory

# Texts a spreadsheet would run as a formula, and what each download must write for them.
FORMULAS = ["=1+1", "\t=x", "\r=x", "@SUM(A1:A9)", "-2+3", "+1"]


@pytest.mark.parametrize("value", FORMULAS)
def test_formula_like_texts_get_a_leading_apostrophe(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Safe", "", "1+1", " =x", "x=1", 42, -3, None])
def test_other_values_are_left_as_they_are(value):
    assert neutralise(value) == value


@pytest.mark.parametrize(
    ("language", "delimiter"),
    [("sv", ";"), ("da", ";"), ("en", ","), ("en-gb", ","), ("sv-se", ";"), ("", ",")],
)
def test_the_separator_follows_the_language(language, delimiter):
    assert csv_delimiter(language) == delimiter


@pytest.mark.parametrize(("language", "delimiter"), [("sv", ";"), ("da", ";"), ("en", ",")])
def test_the_separator_follows_the_active_language(language, delimiter):
    with translation.override(language):
        assert csv_delimiter() == delimiter
        assert list(csv_lines(["A", "B"], [])) == [f"{BOM}A{delimiter}B\r\n"]


def test_lines_start_with_the_byte_order_mark_and_neutralise_every_cell():
    lines = list(csv_lines(["Title", "=Header"], [["=1+1", 3], ["a;b", "x"]], delimiter=";"))

    assert lines == [f"{BOM}Title;'=Header\r\n", "'=1+1;3\r\n", '"a;b";x\r\n']


def test_the_response_is_a_streamed_private_attachment():
    produced = []

    def rows():
        for number in range(3):
            produced.append(number)
            yield [number]

    with translation.override("en"):
        response = csv_response("list.csv", ["N"], rows())

    assert response.streaming
    assert produced == []  # nothing is written before the response is sent
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="list.csv"'
    assert response["Cache-Control"] == "private, no-store"
    # Sent later, outside the view's language: the request's language still decides.
    with translation.override("da"):
        assert csv_rows(response) == [["N"], ["0"], ["1"], ["2"]]


# --- Every CSV download of the site ----------------------------------------------------------


def _portfolio_export(leader, project):
    for title in FORMULAS:
        ProjectFactory(lead_clinic=project.lead_clinic, owner=leader, title=title)
    return reverse("portfolio:export_csv"), 1  # the title column


def _milestone_export(leader, project):
    for title in FORMULAS:
        MilestoneFactory(project=project, title=title)
    return reverse("partners:milestone_export"), 1  # the milestone column


DOWNLOADS = {"portfolio": _portfolio_export, "milestones": _milestone_export}


@pytest.mark.django_db
@pytest.mark.parametrize("download", DOWNLOADS)
@pytest.mark.parametrize(("language", "delimiter"), [("sv", ";"), ("da", ";"), ("en", ",")])
def test_every_download_escapes_formulas_in_the_persons_format(
    client, leader, project, download, language, delimiter
):
    leader.preferred_language = language
    leader.save()
    url, column = DOWNLOADS[download](leader, project)
    client.force_login(leader)

    response = client.get(url)

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"
    rows = csv_rows(response, delimiter=delimiter)  # checks the byte-order mark too
    assert len(rows[0]) > 3  # read with the right separator: the header has its columns
    written = [row[column] for row in rows[1:]]
    for formula in FORMULAS:
        assert "'" + formula in written
        assert formula not in written


@pytest.mark.django_db
def test_a_partners_milestone_download_is_streamed_with_the_byte_order_mark(
    client, partner_user, project
):
    MilestoneFactory(project=project, title="Café på Idun")
    client.force_login(partner_user)

    text = csv_text(client.get(reverse("partners:milestone_export")))

    assert text.startswith(BOM)
    assert "Café på Idun" in text
