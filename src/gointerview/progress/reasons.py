"""The curated reason lexicon of rejection feedback: each recurring reason, the words that
name its subject in Chinese and English, the evaluation dimensions it bears on, and the bank
tags and exercises that train it. A reason is found where a deficiency cue (不足, lacks,
shallow …) sits next to one of its subject words, or where one of its own phrases occurs
(答非所问, rambling). tests/test_progress_feedback.py checks every tag and exercise exists.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reason:
    id: str
    name: dict[str, str]
    subjects: tuple[str, ...]
    dimensions: tuple[str, ...]
    tags: tuple[str, ...]
    exercises: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()  # name the reason on their own, no cue needed


CUES: tuple[str, ...] = (
    # zh
    "不足", "不够", "欠缺", "缺乏", "缺少", "薄弱", "不扎实", "不深", "较浅", "偏浅", "很浅",
    "浅显", "不清晰", "不清楚", "模糊", "混乱", "一般", "有待提高", "有待加强", "需要加强",
    "需加强", "不熟", "不熟悉", "不熟练", "不了解", "答不上", "没答上", "没有答出", "没答出",
    "说不清", "讲不清", "没讲清", "没有深入", "较弱", "偏弱", "不理想", "停留在表面", "卡壳",
    "有bug", "有 bug", "不会", "从没", "没用过", "没有实际",
    # en (matched as stemmed words)
    "lack", "lacking", "weak", "shallow", "superficial", "insufficient", "not enough", "limited",
    "unclear", "vague", "struggled", "struggle", "could not", "couldnt", "did not", "didnt",
    "unable", "poor", "gaps", "missing", "not deep", "surface level", "unfamiliar",
    "not familiar", "needs improvement", "below the bar", "rusty", "buggy", "too slow", "little",
    "never",
)  # fmt: skip

REASONS: tuple[Reason, ...] = (
    Reason(
        "design-depth",
        {"zh": "系统设计深度不足", "en": "lacks depth in system design"},
        ("系统设计", "架构设计", "方案设计", "设计题", "设计方案", "system design",
         "architecture design", "design round", "design question", "the design"),
        ("distributed_design",),
        ("seckill", "flash-sale", "im", "orders", "distributed-id", "gateway", "trade-offs"),
        ("token-bucket", "sliding-window"),
    ),
    Reason(
        "concurrency",
        {"zh": "并发编程基础不扎实", "en": "weak concurrency fundamentals"},
        ("并发编程", "并发基础", "并发模型", "协程", "goroutine", "channel", "concurrency",
         "concurrent programming"),
        ("go_advanced",),
        ("goroutine", "channel", "sync", "context", "select", "race-detector"),
        ("worker-pool", "pipeline", "fix-data-race"),
    ),
    Reason(
        "runtime",
        {"zh": "Go 运行时原理理解不深", "en": "shallow understanding of the Go runtime"},
        ("运行时", "runtime", "gmp", "调度器", "调度模型", "垃圾回收", "gc", "内存分配",
         "逃逸分析", "scheduler", "garbage collector", "memory allocator", "escape analysis"),
        ("go_advanced", "performance"),
        ("scheduler", "gmp", "gc", "allocator", "escape-analysis", "preemption"),
    ),
    Reason(
        "performance",
        {"zh": "缺乏性能调优经验", "en": "little hands-on performance tuning"},
        ("性能调优", "性能优化", "调优", "性能分析", "pprof", "压测", "performance tuning",
         "performance", "profiling", "optimisation", "optimization", "benchmarking"),
        ("performance",),
        ("pprof", "trace", "benchmark", "benchstat", "memory-leak"),
        ("fix-goroutine-leak",),
    ),
    Reason(
        "troubleshooting",
        {"zh": "排查问题思路不清晰", "en": "unstructured troubleshooting"},
        ("排查", "问题排查", "定位问题", "故障排查", "线上问题", "排障", "troubleshooting",
         "debugging", "root cause", "diagnosing", "incident handling"),
        ("problem_analysis",),
        ("troubleshooting", "incident", "pprof", "postmortem"),
        ("fix-goroutine-leak", "fix-data-race"),
    ),
    Reason(
        "components",
        {"zh": "中间件原理掌握不深", "en": "shallow knowledge of middleware internals"},
        ("中间件", "redis", "mysql", "kafka", "消息队列", "数据库", "索引", "middleware",
         "message queue", "database", "indexes", "innodb"),
        ("components",),
        ("redis", "mysql", "kafka", "mq", "innodb", "cache"),
    ),
    Reason(
        "distributed",
        {"zh": "分布式一致性理解不足", "en": "weak on distributed consistency"},
        ("分布式一致性", "一致性", "分布式事务", "分布式锁", "幂等", "distributed consistency",
         "consistency", "distributed transactions", "distributed locks", "idempotency"),
        ("distributed_design",),
        ("distributed-lock", "idempotency", "consistency", "saga", "outbox", "lease"),
    ),
    Reason(
        "scale",
        {"zh": "缺乏高并发场景经验", "en": "little experience with high-traffic systems"},
        ("高并发", "高可用", "大流量", "秒杀", "限流", "high concurrency", "high traffic",
         "high availability", "scale", "scalability", "rate limiting"),
        ("distributed_design", "performance"),
        ("rate-limiting", "seckill", "cache", "load-shedding", "resilience"),
        ("token-bucket", "circuit-breaker"),
    ),
    Reason(
        "coding",
        {"zh": "手写代码不熟练", "en": "coding was slow or buggy"},
        ("手写代码", "手撕", "写代码", "编码", "代码", "coding", "live coding", "the code",
         "implementation"),
        ("go_advanced", "problem_analysis"),
        ("find-the-bug", "testing", "race-detector"),
        ("lru-cache", "worker-pool", "singleflight"),
        phrases=("编译不过", "did not compile", "didnt compile"),
    ),
    Reason(
        "project-depth",
        {"zh": "项目经历缺乏深度和亮点", "en": "projects lacked depth and impact"},
        ("项目经历", "项目经验", "项目", "亮点", "project experience", "projects", "project",
         "ownership", "impact"),
        ("problem_analysis",),
        ("incident", "architecture", "retrospective", "decision"),
    ),
    Reason(
        "communication",
        {"zh": "表达不清晰、缺乏条理", "en": "unclear, unstructured communication"},
        ("表达", "沟通", "条理", "逻辑", "communication", "explanations", "structure"),
        (),
        ("answer-structure", "communication"),
        phrases=("答非所问", "没有条理", "逻辑混乱", "rambling", "rambled", "hard to follow",
                 "off topic"),
    ),
    Reason(
        "cloud-native",
        {"zh": "云原生/Kubernetes 经验不足", "en": "little cloud-native / Kubernetes experience"},
        ("云原生", "k8s", "kubernetes", "容器", "operator", "service mesh", "cloud native",
         "containers"),
        ("components",),
        ("kubernetes", "operator", "service-mesh", "observability"),
    ),
    Reason(
        "fundamentals",
        {"zh": "网络与操作系统基础薄弱", "en": "weak networking and OS fundamentals"},
        ("计算机网络", "网络", "tcp", "http", "操作系统", "计算机基础", "networking",
         "operating system", "operating systems", "cs fundamentals", "syscalls"),
        ("go_advanced",),
        ("http", "netpoller", "syscall", "io", "timeout"),
        ("graceful-server", "bounded-fetcher"),
    ),
)  # fmt: skip
