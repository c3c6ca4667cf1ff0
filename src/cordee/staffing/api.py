"""The staffing API: the routers of its parts, under one tag."""

from ninja import Router

from cordee.staffing.api_billing import router as billing_router
from cordee.staffing.api_time import router as time_router

router = Router()
router.add_router("", time_router)
router.add_router("", billing_router)
