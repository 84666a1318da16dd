from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = REPO_ROOT.parent / "shared" / "data" / "messages"


@pytest.fixture
def data_dir() -> Path:
    if not (DATA_DIR / "train.csv").exists():
        pytest.fail(f"缺少留言数据：应位于 {DATA_DIR}（仓库根目录的 ../shared/data/messages/，CI 中提供）")
    return DATA_DIR


@pytest.fixture
def model_dir(tmp_path, settings):
    from xinfang.triage import store

    settings.XINFANG = {**settings.XINFANG, "TRIAGE_MODEL_DIR": str(tmp_path)}
    store.clear_cache()
    yield tmp_path
    store.clear_cache()


NOISE = [
    "小区旁边工地夜间施工噪声扰民，影响休息，请求处理",
    "楼下烧烤店深夜噪音很大，油烟扰民严重",
    "广场舞音响声音太大，每天晚上噪声扰民",
    "附近工厂机器轰鸣，噪声污染影响居民生活",
    "工地半夜打桩噪声太大，居民无法入睡",
    "酒吧夜间音乐噪音扰民，希望有关部门管一管",
]
WAGES = [
    "公司拖欠工资三个月，老板不见人，请帮忙讨薪",
    "在工地干活，包工头拖欠农民工工资至今未付",
    "单位拖欠工资还不签劳动合同，申请劳动仲裁",
    "工厂倒闭拖欠工人工资，请劳动监察部门处理",
    "装修公司拖欠工资半年，多次讨要无果",
    "餐馆老板拖欠服务员工资，请求帮助追讨",
]
