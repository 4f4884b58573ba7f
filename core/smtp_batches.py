"""Sending queued mail in batches over one SMTP connection each: the loop that the e-mail
outbox (``core.outbox``) and the status digests (``insights.services.digests``) share.

Each caller keeps its own rows and its own ``send_one`` (claim the row, send, record the
outcome in one transaction); this module only opens, reuses and closes connections.
"""

import logging
import smtplib
from collections.abc import Callable

from django.core.mail import get_connection

logger = logging.getLogger(__name__)

SEND_ERRORS = (smtplib.SMTPException, OSError)


def send_in_batches(
    *,
    next_batch: Callable[[set[int]], list[int]],
    send_one: Callable[[int, object, Exception | None], bool],
) -> None:
    """Send ``next_batch(tried)`` batch after batch until it is empty.

    ``send_one(pk, connection, open_error)`` returns False when the send failed; the connection
    may then be broken, so it is opened once more for the rest of the batch. ``open_error`` is
    the error of a connection that could not be opened: ``send_one`` records it as the row's
    failure instead of sending.
    """
    tried: set[int] = set()
    while True:
        batch = next_batch(tried)
        if not batch:
            return
        tried.update(batch)
        connection = get_connection(fail_silently=False)
        open_error = None
        try:
            connection.open()
        except SEND_ERRORS as exc:
            open_error = exc
        try:
            for pk in batch:
                if not send_one(pk, connection, open_error) and open_error is None:
                    close_quietly(connection)
                    try:
                        connection.open()
                    except SEND_ERRORS as exc:
                        open_error = exc
        finally:
            close_quietly(connection)


def close_quietly(connection) -> None:
    try:
        connection.close()
    except SEND_ERRORS:
        logger.debug("Closing the SMTP connection failed", exc_info=True)
