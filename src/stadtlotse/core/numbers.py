"""Numbers as people type them into forms and the API: reading them safely as Decimal."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation


def finite_decimal(raw: object, *, places: int | None = None, limit: Decimal | int | None = None) -> Decimal:
    """``raw`` (a number or text with a decimal point or comma) as a finite Decimal.

    Raises ``InvalidOperation`` for text that is no number, for NaN and Infinity, for more than
    ``places`` decimal places and for an absolute value above ``limit``, so that callers can answer
    every bad number with one clear message.
    """
    value = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip().replace(",", "."))
    if not value.is_finite():
        raise InvalidOperation(f"{raw!r} is not a finite number")
    if places is not None and value != value.quantize(Decimal(1).scaleb(-places)):
        raise InvalidOperation(f"{raw!r} has more than {places} decimal places")
    if limit is not None and abs(value) > Decimal(limit):
        raise InvalidOperation(f"{raw!r} is larger than {limit}")
    return value
