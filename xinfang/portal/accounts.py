"""The bureau's system account that registers online submissions. It has no usable password and no token,
so it cannot log in; it exists so the case's 登记人 is an account of the bureau, as for every channel."""

from __future__ import annotations

from xinfang.orgs.models import Organisation, OrgKind, User
from xinfang.orgs.roles import Role

USERNAME = "portal-system"


def _bureau() -> Organisation:
    bureau = (
        Organisation.objects.filter(kind=OrgKind.BUREAU, parent__kind=OrgKind.DISTRICT).order_by("pk").first()
    )
    if bureau is None:
        raise LookupError("未配置区信访局，无法受理网上信访")
    return bureau


def system_account() -> User:
    user = User.objects.filter(username=USERNAME).first()
    if user is not None:
        return user
    user = User(
        username=USERNAME, role=Role.REGISTRAR, organisation=_bureau(), display_name="网上信访（系统）"
    )
    user.set_unusable_password()
    user.save()
    return user
