"""API of this part, mounted under /api/v1/."""

from ninja import Router

router = Router(tags=["reporting"])
