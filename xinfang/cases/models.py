"""Petitioners, cases and their timeline. Rules live in services.py and workflow tables, not here."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper

from xinfang.orgs.models import Organisation

from .choices import CLOSED_STATUSES, Channel, IdType, Nature, Outcome, Status, UpstreamLevel


class Category(models.Model):
    """Two-level content category tree (内容分类), loaded from cases/data/categories.csv."""

    code = models.CharField("编码", max_length=16, unique=True)
    name = models.CharField("名称", max_length=50)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "内容分类"
        verbose_name_plural = "内容分类"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.parent.name} / {self.name}" if self.parent_id else self.name


class Petitioner(models.Model):
    name = models.CharField("姓名", max_length=50, db_index=True)
    id_type = models.CharField("证件类型", max_length=16, choices=IdType.choices, default=IdType.RESIDENT_ID)
    id_number = models.CharField("证件号码", max_length=32, blank=True, db_index=True)
    phone = models.CharField("联系电话", max_length=20, blank=True, db_index=True)
    address = models.CharField("住址", max_length=200, blank=True)
    is_watched = models.BooleanField("重点人员", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "信访人"
        verbose_name_plural = "信访人"

    def __str__(self) -> str:
        return self.name


class CaseQuerySet(models.QuerySet):
    def open(self) -> CaseQuerySet:
        return self.exclude(status__in=CLOSED_STATUSES)


class Case(models.Model):
    number = models.CharField("信访件编号", max_length=20, unique=True)
    year = models.PositiveSmallIntegerField("年度")
    seq = models.PositiveIntegerField("年度序号")
    channel = models.CharField("信访形式", max_length=16, choices=Channel.choices)
    upstream_ref = models.CharField("上级交办编号", max_length=64, blank=True, db_index=True)
    upstream_level = models.CharField("交办层级", max_length=16, choices=UpstreamLevel.choices, blank=True)
    title = models.CharField("标题", max_length=200)
    content = models.TextField("反映内容")
    requests = models.TextField("诉求", blank=True)
    category = models.ForeignKey(
        Category, verbose_name="内容分类", on_delete=models.PROTECT, related_name="cases"
    )
    nature = models.CharField("信访目的", max_length=16, choices=Nature.choices)
    accused_organisation = models.ForeignKey(
        Organisation,
        verbose_name="被反映单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    place_organisation = models.ForeignKey(
        Organisation,
        verbose_name="问题属地",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    place_address = models.CharField("问题发生地址", max_length=200, blank=True)
    headcount = models.PositiveIntegerField("人数", default=1)
    is_first = models.BooleanField("初信初访", default=True)
    is_level_skipping = models.BooleanField("越级", default=False)
    is_to_beijing = models.BooleanField("进京", default=False)
    is_collective = models.BooleanField("集体", default=False)
    is_major_urgent = models.BooleanField("重大紧急", default=False)
    is_confidential = models.BooleanField("保密", default=False)
    confidential_officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="可查阅人员", blank=True, related_name="+"
    )
    is_repeat_suspect = models.BooleanField("疑似重复", default=False)
    repeat_reason = models.CharField("重复提示", max_length=300, blank=True)
    related_case = models.ForeignKey(
        "self", verbose_name="关联信访件", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_date = models.DateField("收到日期")
    registered_at = models.DateTimeField("登记时间")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registering_org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=24, choices=Status.choices, default=Status.REGISTERED)
    responsible_unit = models.ForeignKey(
        Organisation,
        verbose_name="责任单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The running statutory clock, kept on the row so "overdue" and "due soon" are index scans.
    current_step = models.CharField("当前环节", max_length=32, blank=True)
    due_date = models.DateField("当前环节期限", null=True, blank=True)
    deadline_provisional = models.BooleanField("期限待定（缺节假日数据）", default=False)
    # Milestones the statistics read (domain/petition.md §4.2): cohort by deadline, not by registration.
    triage_due_date = models.DateField("分流期限", null=True, blank=True)
    triaged_at = models.DateTimeField("分流时间", null=True, blank=True)
    received_by_unit_at = models.DateTimeField("责任单位收到时间", null=True, blank=True)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    handling_route = models.CharField("处理途径（第三十一条）", max_length=16, blank=True)
    outcome = models.CharField("办理结果", max_length=24, choices=Outcome.choices, blank=True)
    handling_due_date = models.DateField("办结期限", null=True, blank=True)
    extension_count = models.PositiveSmallIntegerField("延期次数", default=0)
    replied_at = models.DateTimeField("答复（办结）时间", null=True, blank=True)
    concluded_at = models.DateTimeField("终结时间", null=True, blank=True)
    # Optimistic concurrency: each service increments it; a stale version is refused.
    version = models.PositiveIntegerField(default=1)
    query_code = models.CharField("查询码", max_length=16, blank=True, db_index=True)
    search_text = models.TextField(editable=False, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = "信访事项"
        verbose_name_plural = "信访事项"
        constraints = [models.UniqueConstraint(fields=["year", "seq"], name="case_year_seq_unique")]
        indexes = [
            # Newest first. The columns every list's visibility filter reads (confidential, accusation) ride along, so
            # a list that walks many recent rows to find its own (a unit's: the newest cases are mostly not yet
            # routed) reads the index alone, not a heap row per case (PostgreSQL; SQLite ignores INCLUDE).
            models.Index(
                fields=["-registered_at", "-id"],
                name="case_recent",
                include=["year", "is_confidential", "nature", "accused_organisation"],
            ),
            # With the id as the list's tie-breaker each index yields a filter's rows in the list's exact order, so
            # on PostgreSQL every year's partition hands the Merge Append its newest rows at once; without it an
            # old year's partition holding no row of the filter was walked whole.
            models.Index(fields=["status", "-registered_at", "-id"], name="case_status_recent"),
            models.Index(fields=["responsible_unit", "-registered_at", "-id"], name="case_unit_recent"),
            models.Index(fields=["channel", "-registered_at", "-id"], name="case_channel_recent"),
            models.Index(fields=["category", "-registered_at", "-id"], name="case_category_recent"),
            models.Index(fields=["received_date", "id"], name="case_received"),
            # 上级交办编号 compared without case (the ledger import's re-import key).
            models.Index(Upper("upstream_ref"), name="case_upstream_ref_upper"),  # a date range's list order
            models.Index(fields=["handling_due_date"], name="case_handling_due"),
            models.Index(fields=["triage_due_date"], name="case_triage_due"),
            models.Index(
                fields=["due_date"],
                name="case_open_due",
                condition=~Q(status__in=sorted(CLOSED_STATUSES)),
            ),
            # The registrars' to-do list (workflow/queues.py REGISTRAR_QUEUE), soonest deadline first: read in
            # order from here instead of sorting every waiting case (their landing page).
            models.Index(
                fields=["due_date", "id"],
                name="case_registrar_queue",
                condition=Q(status__in=["objected", "registered"]),
            ),
            # A unit's to-do list (workflow/queues.py UNIT_QUEUE), soonest deadline first: its landing page.
            models.Index(
                fields=["responsible_unit", "due_date", "id"],
                name="case_unit_queue",
                condition=Q(status__in=["accepted", "assigned", "extended", "forwarded", "handling"]),
            ),
            # The daily sweep's 越级/进京 warnings read these few rows of a recent window (partial: tiny).
            models.Index(
                fields=["received_date"], name="case_level_skipping", condition=Q(is_level_skipping=True)
            ),
            models.Index(fields=["received_date"], name="case_to_beijing", condition=Q(is_to_beijing=True)),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


class CasePetitioner(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    petitioner = models.ForeignKey(Petitioner, on_delete=models.PROTECT, related_name="parties")
    is_primary = models.BooleanField("主信访人", default=False)
    is_representative = models.BooleanField("代表", default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "petitioner"], name="case_petitioner_unique")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.petitioner_id}"


class CaseRouting(models.Model):
    """Every unit a case was sent to. Unit users see the cases routed to their unit."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="routings")
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="case_routings")
    kind = models.CharField(max_length=16)
    routed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["unit", "case"], name="routing_unit_case")]

    def __str__(self) -> str:
        return f"{self.case_id}→{self.unit_id}"


class CaseEventQuerySet(models.QuerySet):
    def of(self, case: Case) -> CaseEventQuerySet:
        """One case's events; naming its year too lets PostgreSQL read that year's partition only."""
        return self.filter(case_id=case.pk, case_year=case.year)


class CaseEvent(models.Model):
    """The case timeline: one row per thing that happened, append-only."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    # The case's registration year, copied so PostgreSQL can partition the events as it does the cases (by
    # year) and a timeline read prunes to one partition. save() fills it; bulk inserts set it themselves.
    case_year = models.PositiveSmallIntegerField("登记年度", editable=False)
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField("动作", max_length=32)
    label = models.CharField("说明", max_length=100)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24, blank=True)
    unit = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField("备注", blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="event_case_at")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.label}"

    def save(self, *args, **kwargs) -> None:
        if self.case_year is None:
            self.case_year = self.case.year
        super().save(*args, **kwargs)


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"attachments/{instance.case.year}/{instance.case.number}/{instance.sha256[:16]}"


class Attachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return self.original_name


def pending_upload_path(instance: PendingUpload, filename: str) -> str:
    return f"pending/{instance.uploaded_by_id}/{instance.sha256[:16]}"


class PendingUpload(models.Model):
    """A file chosen on a registration form that did not save yet (another field was wrong): kept so the
    registrar does not choose it again; it becomes an Attachment when the case is registered, and is purged
    after a day otherwise."""

    file = models.FileField(upload_to=pending_upload_path)
    original_name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return self.original_name


from .workflow.records import *  # noqa: E402, F403  (workflow records live beside the engine)
