from django.contrib import admin

from . import models

for model in (
    models.FiscalYear,
    models.Project,
    models.BudgetLine,
    models.BudgetAdjustment,
    models.ExecutionEntry,
    models.IncomeRecord,
    models.ThreePublicExpense,
    models.Evaluation,
    models.Indicator,
    models.ImportBatch,
):
    admin.site.register(model)
