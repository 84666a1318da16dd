"""Signal receivers of the cases app (connected in CasesConfig.ready)."""

from django.dispatch import receiver

from .signals import case_registered


@receiver(case_registered, dispatch_uid="cases.registration_rulings")
def apply_registration_rulings(sender, case, actor=None, **kwargs):  # noqa: ANN001, ANN201, ARG001
    """Art.36 不再受理 / art.19 不予受理 / art.23 direct-petition clock, inside the registration transaction."""
    from .transitions import registration_rulings

    registration_rulings(case, actor)
