"""The API of calls for projects and funded actions: calls_api (calls, applications, review) and
actions_api (funded actions) gathered under one router."""

from ninja import Router

from cordee.projects import api_actions, api_calls

router = Router(tags=["projects"])
router.add_router("/", api_calls.router)
router.add_router("/", api_actions.router)
