"""The good practices API."""

from ninja import Router

router = Router(tags=["practices"])
