"""Reading the CSV downloads in tests: they are streamed (``core.csv.csv_response``)."""

import csv
import io

BOM = "\ufeff"


def csv_text(response) -> str:
    """The whole download as text, byte-order mark included (consumes the stream)."""
    assert response.streaming, "CSV downloads are streamed"
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(response, delimiter=",") -> list[list[str]]:
    """The download's rows, header first, read with ``delimiter`` (";" for sv and da)."""
    text = csv_text(response)
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text.removeprefix(BOM)), delimiter=delimiter))
