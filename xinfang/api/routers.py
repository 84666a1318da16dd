"""Each app contributes a router; add new ones here."""

from ninja import NinjaAPI


def register(api: NinjaAPI) -> None:
    from xinfang.analytics.api import router as stats_router
    from xinfang.cases.api import router as cases_router
    from xinfang.cases.workflow.api import router as workflow_router
    from xinfang.portal.api import build_router as public_router
    from xinfang.portal.receptions_api import build_router as public_receptions_router
    from xinfang.supervision.api import letters_router, warnings_router

    api.add_router("/cases", cases_router)
    api.add_router("/cases", workflow_router)
    api.add_router("/public", public_router())
    api.add_router("/public/receptions", public_receptions_router())
    api.add_router("/supervision", letters_router)
    api.add_router("/warnings", warnings_router)
    api.add_router("/stats", stats_router)
