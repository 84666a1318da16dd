"""GET /api/stats/: the statistics service as JSON (the same object as `manage.py stats --format json`)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field as F
from ninja import Query, Router, Schema

from xinfang.core.error_schema import errors

from .params import allowed_scope, parse_query
from .stats import compute_stats

router = Router(tags=["统计分析"])


class StatsFilters(Schema):
    # Strings, parsed by parse_query so that a bad date gets the same Chinese message everywhere.
    from_: str | None = F(None, alias="from", description="开始日期 YYYY-MM-DD（含）")
    to: str | None = F(None, description="结束日期 YYYY-MM-DD（含）")
    unit: str | None = F(None, description="单位 ID（含下级单位）；单位用户默认本单位")
    category: str | None = F(None, description="内容分类 ID（含下级分类）")


# 403: a unit user asking for another unit, or a role without statistics; 422: a bad date, unit or category.
@router.get("/", response={200: dict, **errors(401, 403, 422)}, summary="统计指标")
def stats(request: HttpRequest, filters: Query[StatsFilters]) -> dict:
    query = parse_query(filters.from_, filters.to, filters.unit, filters.category)
    return compute_stats(allowed_scope(request.auth, query))
