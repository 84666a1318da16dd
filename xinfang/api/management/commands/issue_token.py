from django.core.management.base import BaseCommand, CommandError

from xinfang.api.auth import issue_token
from xinfang.audit.services import record
from xinfang.orgs.models import User


class Command(BaseCommand):
    help = "为用户签发 API 令牌（只显示一次，库中仅存其哈希）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("name", help="令牌用途，例如“12345 对接”")

    def handle(self, *args, username: str, name: str, **options) -> None:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"用户“{username}”不存在或已停用")
        raw = issue_token(user, name)
        record("api.token.issue", actor=None, obj=user, after={"name": name})
        self.stdout.write(raw)
