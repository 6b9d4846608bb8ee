"""The one pagination of the API's lists: django-ninja's limit/offset, with both bounded.

Ninja's own accepts any integer; an offset or limit beyond what the database's integers hold
(2**63 on SQLite and PostgreSQL) ends in a database error, that is an HTTP 500 (found by the
fuzzer, ``tests/security/test_fuzz.py``). Here they are validated like every other parameter:
a limit of at most ``MAX_LIMIT`` and an offset of at most ``MAX_OFFSET``, else 422.
"""

from __future__ import annotations

from ninja import Field, Schema
from ninja.conf import settings
from ninja.pagination import LimitOffsetPagination as NinjaLimitOffsetPagination

MAX_LIMIT = 1000
MAX_OFFSET = 2**31 - 1


class LimitOffsetPagination(NinjaLimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(settings.PAGINATION_PER_PAGE, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, max_limit: int = MAX_LIMIT, **kwargs) -> None:
        super().__init__(max_limit=max_limit, **kwargs)
