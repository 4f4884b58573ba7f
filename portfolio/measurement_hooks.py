"""What the apps above the portfolio do when a value measurement is recorded.

A measurement is the portfolio's (``services.projects.value_measurement_record``); what it
means for an agreement (the co-sharing of cost and gain by measured outcomes) is the
partnership app's, which sits above this one. So that app registers, in its
``AppConfig.ready()``, a function taking the new measurement; the service calls every
registered function in its own transaction, after the measurement is saved, so whatever they
keep commits or rolls back with it.
"""

from collections.abc import Callable

_recorded: dict[str, Callable] = {}


def register_measurement_recorded(*, name: str, recorded: Callable) -> None:
    """``recorded(measurement) -> None``; registering twice replaces."""
    _recorded[name] = recorded


def measurement_recorded(measurement) -> None:
    for recorded in _recorded.values():
        recorded(measurement)
