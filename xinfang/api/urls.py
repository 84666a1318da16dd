"""The JSON API: one NinjaAPI, one router per app, OpenAPI docs at /api/docs."""

from ninja import NinjaAPI

from .auth import SessionOrToken
from .errors import install_error_handlers
from .parser import CheckedJSONParser
from .renderer import ChineseJSONRenderer

api = NinjaAPI(
    title="信访工作与绩效管理平台 API",
    version="1",
    description="信访事项登记、查询与办理接口。认证方式：登录会话或 `Authorization: Bearer <令牌>`。",
    renderer=ChineseJSONRenderer(),
    parser=CheckedJSONParser(),
    auth=SessionOrToken(),
    urls_namespace="api",
)
install_error_handlers(api)

from xinfang.api import routers  # noqa: E402

routers.register(api)
