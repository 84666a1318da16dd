"""Roles (design.md §1). One role per user; what each may do is decided in permissions.py."""

from django.db import models


class Role(models.TextChoices):
    REGISTRAR = "registrar", "登记员"
    HANDLER = "handler", "承办人"
    UNIT_HEAD = "unit_head", "单位负责人"
    SUPERVISOR = "supervisor", "督办员"
    LEADER = "leader", "领导"
    FINANCE = "finance", "财务/绩效"
    ADMIN = "admin", "系统管理员"
    AUDITOR = "auditor", "审计/纪检"


# Roles that work for the petition bureau and see every case of the district.
BUREAU_ROLES = frozenset({Role.REGISTRAR, Role.SUPERVISOR, Role.LEADER, Role.ADMIN, Role.AUDITOR})
# Roles that see only cases routed to their own unit.
UNIT_ROLES = frozenset({Role.HANDLER, Role.UNIT_HEAD})
# Roles that need identity numbers and phones in full (each such view is audited).
FULL_IDENTITY_ROLES = frozenset({Role.REGISTRAR, Role.HANDLER, Role.UNIT_HEAD})
# Roles that may register cases.
REGISTERING_ROLES = frozenset({Role.REGISTRAR, Role.ADMIN})
