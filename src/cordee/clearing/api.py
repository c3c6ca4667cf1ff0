"""The clearing API: consents, runs, proposals and their execution, the liquidity proposal."""

from ninja import Router

router = Router(tags=["clearing"])
