"""Data: copy SupervisionLetter and Recommendation rows into the one Letter register, numbering them per kind
and year in issue order; seed the editable risk-word list."""

from django.db import migrations

LETTER_KINDS = {"reminder": "reminder", "supervision": "urge", "accountability": "accountability"}
PREFIX = {"reminder": "提醒", "urge": "督办", "accountability": "问责建议", "recommendation": "建议"}
RISK_WORDS = ["扬言", "跳楼", "自焚", "自杀", "爆炸", "同归于尽", "进京", "上北京", "拉横幅", "堵路", "极端"]


def merge(apps, schema_editor):
    Letter = apps.get_model("supervision", "Letter")
    Counter = apps.get_model("supervision", "LetterCounter")
    rows = []
    for old in apps.get_model("supervision", "SupervisionLetter").objects.order_by("issued_on", "id"):
        rows.append(
            dict(
                kind=LETTER_KINDS[old.kind],
                unit_id=old.unit_id,
                case_id=old.case_id,
                content=old.content,
                issued_on=old.issued_on,
                feedback_due=old.reply_due,
                status=old.status,
                feedback=old.reply,
                feedback_on=old.replied_on,
                issued_by_id=old.issued_by_id,
            )
        )
    for old in apps.get_model("supervision", "Recommendation").objects.order_by("issued_on", "id"):
        rows.append(
            dict(
                kind="recommendation",
                recommendation_kind=old.kind,
                unit_id=old.unit_id,
                case_id=old.case_id,
                content=old.content,
                issued_on=old.issued_on,
                feedback_due=old.feedback_due,
                status=old.status,
                feedback=old.feedback,
                feedback_on=old.feedback_on,
                adopted=old.adopted,
                issued_by_id=old.issued_by_id,
            )
        )
    last: dict[tuple[str, int], int] = {}
    for row in sorted(rows, key=lambda r: r["issued_on"]):
        key = (row["kind"], row["issued_on"].year)
        last[key] = last.get(key, 0) + 1
        year, seq = key[1], last[key]
        number = f"{PREFIX[row['kind']]}〔{year}〕{seq}号"
        Letter.objects.create(**row, year=year, seq=seq, number=number, origin="manual")
    for (kind, year), seq in last.items():
        Counter.objects.create(kind=kind, year=year, last=seq)


def seed_words(apps, schema_editor):
    RiskWord = apps.get_model("supervision", "RiskWord")
    for word in RISK_WORDS:
        RiskWord.objects.get_or_create(word=word)


class Migration(migrations.Migration):
    dependencies = [("supervision", "0002_letters_warnings_receptions")]

    operations = [
        migrations.RunPython(merge, migrations.RunPython.noop),
        migrations.RunPython(seed_words, migrations.RunPython.noop),
    ]
