"""The audit trail as people read it: who changed what, when, from which value to which.

Reads the records django-simple-history keeps for projects, reviews, agreements, their parties
and milestones. A constant number of queries per page: the records of the objects shown (with
their authors), then one query per kind of related object the changes name.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from core.formatting import format_number

ENTRIES_SHOWN = 100
# Records read per history query set, newest first: enough for ENTRIES_SHOWN entries (a save
# that changed no shown field is a record without an entry), and bounded however long the
# object has lived.
RECORDS_READ = ENTRIES_SHOWN * 2
# Fields whose change says nothing to a reader (the milestone's version counts the saves).
HIDDEN_FIELDS = frozenset({"id", "created_at", "version"})
KINDS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime
    who: object
    kind: str
    subject: str
    changes: list[Change] = field(default_factory=list)


def _shown(value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    # Dates and numbers as the reader writes them, not as Python prints them
    # ("2026-02-06 10:21:53.194367+00:00", "7.50").
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, (Decimal, int, float)):
        return format_number(value)
    return str(value)


def _newest_records(queryset) -> tuple[list, list]:
    """The newest RECORDS_READ records of ``queryset``, oldest first, and (only when older
    ones were left out) each object's record just before its first one read, so that its
    first change read still shows what it changed from: one query, two when cut."""
    newest = list(
        queryset.select_related("history_user").order_by("-history_date", "-history_id")[
            : RECORDS_READ + 1
        ]
    )
    rows = newest[:RECORDS_READ][::-1]
    if len(newest) <= RECORDS_READ:
        return [], rows
    first_read = {}
    for row in rows:
        first_read.setdefault(row.id, row)
    continued = [pk for pk, row in first_read.items() if row.history_type != "+"]
    if not continued:
        return [], rows
    oldest = rows[0]
    seeds = list(
        queryset.filter(id__in=continued)
        .filter(
            Q(history_date__lt=oldest.history_date)
            | Q(history_date=oldest.history_date, history_id__lt=oldest.history_id)
        )
        .annotate(
            newest_first=Window(
                RowNumber(),
                partition_by=[F("id")],
                order_by=[F("history_date").desc(), F("history_id").desc()],
            )
        )
        .filter(newest_first=1)
    )
    return seeds, rows


def history_entries(*histories: tuple[models.QuerySet, str]) -> list[HistoryEntry]:
    """Entries of one or more history query sets (``(Model.history.filter(...), subject)``),
    newest first. The first record of an object lists the values it was created with."""
    records = []
    for queryset, subject in histories:
        seeds, rows = _newest_records(queryset)
        records += [(row, None) for row in seeds] + [(row, subject) for row in rows]
    # Related objects named by the records: one query per related model.
    wanted = defaultdict(set)
    for row, _subject in records:
        for model_field in row.instance_type._meta.concrete_fields:
            if model_field.is_relation and model_field.name not in HIDDEN_FIELDS:
                value = getattr(row, model_field.attname, None)
                if value is not None:
                    wanted[model_field.related_model].add(value)
    names = {
        model: {obj.pk: str(obj) for obj in model._default_manager.filter(pk__in=ids)}
        for model, ids in wanted.items()
    }

    def display(model_field, row):
        value = getattr(row, model_field.attname, None)
        if model_field.is_relation:
            # An object since deleted keeps its id, as text (not a grouped number).
            return _shown(
                names[model_field.related_model].get(value, str(value)) if value else None
            )
        if model_field.choices:
            return _shown(dict(model_field.flatchoices).get(value, value))
        return _shown(value)

    entries, previous = [], {}
    for row, subject in records:
        fields = [f for f in row.instance_type._meta.concrete_fields if f.name not in HIDDEN_FIELDS]
        fields = [f for f in fields if hasattr(row, f.attname)]
        key = (row.instance_type, row.id)
        if subject is None:  # the record before the first one read: what it changed from
            previous[key] = row
            continue
        before = previous.get(key)
        changes = []
        for model_field in fields:
            new = display(model_field, row)
            old = display(model_field, before) if before is not None else "–"
            if row.history_type == "-" or old == new:
                continue
            changes.append(Change(label=str(model_field.verbose_name), old=old, new=new))
        previous[key] = row
        if row.history_type == "~" and not changes:
            continue
        entries.append(
            HistoryEntry(
                when=row.history_date,
                who=row.history_user,
                kind=str(KINDS.get(row.history_type, row.history_type)),
                subject=subject,
                changes=changes,
            )
        )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:ENTRIES_SHOWN]
