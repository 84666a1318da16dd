"""Organisations (a tree: district → bureau/departments/towns → villages → grids) and users."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from .roles import BUREAU_ROLES, UNIT_ROLES, Role


class OrgKind(models.TextChoices):
    NATIONAL = "national", "国家"
    PROVINCE = "province", "省"
    CITY = "city", "市"
    DISTRICT = "district", "区/县"
    BUREAU = "bureau", "信访局"
    DEPARTMENT = "department", "区直部门"
    TOWN = "town", "镇/街道"
    VILLAGE = "village", "村/社区"
    GRID = "grid", "网格"


# Levels of government whose organisation stands for the government itself (review bodies, art.35-36).
GOVERNMENT_KINDS = frozenset({"town", "district", "city", "province"})


class Organisation(models.Model):
    code = models.CharField("编码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=16, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    region_code = models.CharField("行政区划代码", max_length=12, blank=True)
    # Materialised path of primary keys ("/1/4/17/") so subtree and ancestor checks are one query.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="/")
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "组织"
        verbose_name_plural = "组织"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        path = f"{self.parent.path if self.parent_id else '/'}{self.pk}/"
        if path != self.path:
            Organisation.objects.filter(pk=self.pk).update(path=path)
            self.path = path

    @property
    def legal_name(self) -> str:
        """The name the law uses for a government level: 示例区 → 示例区人民政府, 江城街道 → 江城街道办事处."""
        if self.kind not in GOVERNMENT_KINDS or self.name.endswith(("人民政府", "办事处")):
            return self.name
        return f"{self.name}办事处" if self.name.endswith("街道") else f"{self.name}人民政府"

    def ancestor_ids(self) -> list[int]:
        """Primary keys from the root down to this organisation, itself included."""
        return [int(p) for p in self.path.strip("/").split("/") if p]

    def is_within(self, other: Organisation) -> bool:
        """True when self is other or lies below it."""
        return self.path.startswith(other.path)


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="所属组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField("角色", max_length=16, choices=Role.choices, default=Role.REGISTRAR)
    display_name = models.CharField("姓名", max_length=50, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_bureau_role(self) -> bool:
        return self.role in BUREAU_ROLES

    @property
    def is_unit_role(self) -> bool:
        return self.role in UNIT_ROLES


class LoginFailure(models.Model):
    """Failed login attempts, kept in the database so throttling holds across server processes."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.CharField(max_length=64)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.username}@{self.address}"


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"

    def __str__(self) -> str:
        return f"{self.user} / {self.name}"
