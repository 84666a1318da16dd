from django.contrib import admin
from django.db.models import CharField, Q
from django.db.models.functions import Cast

from xinfang.audit.admin import AuditedAdmin, ReadOnlyAdmin, restrict_objects
from xinfang.cases.permissions import visible_cases

from .models import CaseDocument, CaseOpinion, Category, Extension, Hearing, ReviewRequest


class CaseScopedAdmin(admin.ModelAdmin):
    """Rows that name a case are listed, opened and linked only when the user may open that case.

    The admin is no way round `visible_cases`: a confidential case stays with its designated officers, an
    accusation away from the accused organisation. Rows with no case (nullable links) are shown.
    """

    case_field = "case"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        scoped = Q(**{f"{self.case_field}__in": visible_cases(request.user).values("pk")})
        if qs.model._meta.get_field(self.case_field).null:
            scoped |= Q(**{f"{self.case_field}__isnull": True})
        return qs.filter(scoped)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == self.case_field:
            kwargs["queryset"] = visible_cases(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# The audit trail shows a case's rows only to users who may open the case.
restrict_objects(
    "cases.case", lambda user: visible_cases(user).annotate(key=Cast("pk", CharField())).values("key")
)


@admin.register(Category)
class CategoryAdmin(AuditedAdmin):
    list_display = ("code", "name", "parent", "is_active")
    list_filter = ("is_active", "parent")
    search_fields = ("code", "name")


class CaseRecordAdmin(CaseScopedAdmin, ReadOnlyAdmin):
    """Workflow records and documents: read-only, and only those of cases the user may open."""


for model in (Extension, ReviewRequest, Hearing, CaseOpinion, CaseDocument):
    admin.site.register(model, CaseRecordAdmin)
