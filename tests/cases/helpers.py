from datetime import date

from tests.factories import leaf_category
from xinfang.cases.registration import PetitionerInput, RegistrationInput

VALID_ID = "11010519491231002X"  # a standard GB 11643 sample number


def registration(**overrides) -> RegistrationInput:
    data = dict(
        channel="letter",
        title="反映小区噪声扰民",
        content="翠湖雅苑旁工地夜间施工，噪声扰民，请求处理。",
        requests="请求停止夜间施工",
        category=leaf_category().pk,
        nature="appeal",
        received_date=date(2026, 11, 2),
        petitioners=[PetitionerInput(name="张伟", id_number=VALID_ID, phone="13800138000")],
    )
    data.update(overrides)
    return RegistrationInput(**data)
