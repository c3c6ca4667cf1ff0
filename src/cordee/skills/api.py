"""The skills API: the routers of its parts, under one tag."""

from ninja import Router

from cordee.skills.api_exchanges import router as exchanges_router
from cordee.skills.api_listings import router as listings_router

router = Router()
router.add_router("", listings_router)
router.add_router("", exchanges_router)
