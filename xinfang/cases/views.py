from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def case_list(request):  # noqa: ANN001, ANN201
    return HttpResponse("")
