"""Near-duplicate search over 1M synthetic case texts (MinHash LSH, xinfang.triage.duplicates).

Run: .venv/bin/python bench/duplicates.py [N]   (default 1,000,000). Prints `name: value unit` lines.
Queries are edited copies of stored texts (words changed, sentences appended); recall@5 says how often the
original came back in the top five.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.settings")

import django

django.setup()

from xinfang.triage import duplicates  # noqa: E402

SYLLABLES = "安宁和平康乐福寿金银华新东西南北中阳光明月星辰春夏秋冬江河湖海山水林森花园翠绿青云天龙凤锦绣"
ESTATES = ["小区", "花园", "家园", "新城", "苑", "公寓"]
ISSUES = [
    "夜间施工噪声扰民",
    "物业乱收费且服务差",
    "开发商捆绑销售车位",
    "公司拖欠工资数月未发",
    "小区路灯损坏无人维修",
    "垃圾站臭味影响居民生活",
    "学校周边道路拥堵存在安全隐患",
    "餐饮店油烟直排污染环境",
    "征地拆迁补偿款迟迟不到位",
    "社保缴费基数核定有误",
    "医院收费不合理",
    "公交线路调整后出行不便",
]
DETAILS = [
    "多次向有关部门反映均无结果",
    "严重影响老人和孩子休息",
    "恳请政府尽快协调解决",
    "希望相关部门依法查处",
    "居民意见很大",
    "已经持续了很长时间",
    "打市长热线也没有回复",
    "涉及住户约{n}户",
    "去年{n}月开始出现这个问题",
    "金额约{n}元",
    "每天晚上{n}点以后仍在作业",
    "请求给予答复",
]


def synthetic(rng: random.Random, n: int) -> list[str]:
    estates = [
        "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) + rng.choice(ESTATES)
        for _ in range(20000)
    ]
    texts = []
    for _ in range(n):
        parts = [
            f"第{rng.randint(1, 40)}区{rng.choice(estates)}{rng.randint(1, 30)}栋居民反映{rng.choice(ISSUES)}"
        ]
        parts += [d.format(n=rng.randint(2, 999)) for d in rng.sample(DETAILS, 3)]
        texts.append("，".join(parts) + "。")
    return texts


def edited(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(3):
        i = rng.randrange(len(chars))
        chars[i] = rng.choice(SYLLABLES)
    return "".join(chars) + rng.choice(DETAILS).format(n=rng.randint(2, 999)) + "。"


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    rng = random.Random(7)
    t0 = time.perf_counter()
    texts = synthetic(rng, n)
    t1 = time.perf_counter()
    sigs = duplicates.signatures(texts)
    t2 = time.perf_counter()
    index = duplicates.MemoryIndex(sigs)
    t3 = time.perf_counter()
    print(f"cases: {n} count")
    print(f"generate_seconds: {t1 - t0:.1f} s")
    print(f"signature_seconds: {t2 - t1:.1f} s")
    print(f"index_seconds: {t3 - t2:.1f} s")
    print(
        f"index_memory: {(sigs.nbytes + sum(a.nbytes for a in index.order + index.sorted_keys)) / 2**20:.0f} MiB"
    )
    timings, hits, candidates = [], 0, []
    for _ in range(300):
        target = rng.randrange(n)
        query = edited(rng, texts[target])
        start = time.perf_counter()
        found = index.query(duplicates.signature(query), k=5)
        timings.append((time.perf_counter() - start) * 1000)
        hits += any(i == target for i, _ in found)
        candidates.append(len(found))
    timings.sort()
    print(f"query_median: {statistics.median(timings):.2f} ms")
    print(f"query_p95: {timings[int(len(timings) * 0.95)]:.2f} ms")
    print(f"recall_at_5: {hits / len(timings):.3f} ratio")


if __name__ == "__main__":
    main()
