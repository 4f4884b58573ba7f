"""English dates in one style, "18 Mar 2026", on every page, e-mail and export.

Django's English defaults mix the US "03/18/2026" (SHORT_DATE_FORMAT) with "March 18, 2026";
Swedish and Danish readers of English pages read neither naturally. Input formats stay
Django's (ISO first, which the date inputs use).
"""

DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"
SHORT_DATETIME_FORMAT = "j M Y H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
