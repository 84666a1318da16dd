"""Each app contributes a router; add new ones here."""

from ninja import NinjaAPI


def register(api: NinjaAPI) -> None:
    from xinfang.analytics.api import router as stats_router
    from xinfang.cases.api import router as cases_router
    from xinfang.cases.workflow.api import router as workflow_router

    api.add_router("/cases", cases_router)
    api.add_router("/cases", workflow_router)
    api.add_router("/stats", stats_router)
