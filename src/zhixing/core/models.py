"""Infrastructure models: the hash-chained audit record, the administrator-loaded holiday table and
the shared cache table."""

from django.conf import settings
from django.db import models

from zhixing.core.localtime import MINUTE_FORMAT, format_datetime


class AuditRecord(models.Model):
    """One audited action. Append-only; each record carries the hash of the one before it in its chain.

    Records are chained per court (`chain` = the court code, "" for platform-level records and for the
    records written before per-court chains, see docs/adr/0002-audit-chains-per-court.md). The chain
    makes tampering evident: editing a record breaks its own hash, deleting one breaks the `prev_hash`
    link of its successor in the same chain (see `zhixing.core.audit.verify_chain`). Signed
    checkpoints (`AuditCheckpoint`) make truncating or re-hashing a chain evident as well.
    """

    audit_protected = True

    at = models.DateTimeField("时间", help_text="动作发生的服务器时间")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="执行该操作的工作人员；系统任务为空",
    )
    actor_name = models.CharField("操作人姓名", max_length=64, blank=True, help_text="留痕时的操作人姓名")
    court_code = models.CharField("法院代字", max_length=16, blank=True, help_text="操作人所在法院代字")
    action = models.CharField("动作", max_length=64, help_text="动作代码，如 case.file、party.view_identity")
    object_type = models.CharField("对象类型", max_length=64, help_text="被操作对象的类型")
    object_id = models.CharField("对象编号", max_length=64, blank=True, help_text="被操作对象的编号")
    case_id = models.BigIntegerField("案件ID", null=True, blank=True, db_index=True, help_text="关联案件")
    before = models.JSONField("变更前", null=True, blank=True, help_text="变更前的字段值")
    after = models.JSONField("变更后", null=True, blank=True, help_text="变更后的字段值")
    chain = models.CharField(
        "留痕链",
        max_length=16,
        blank=True,
        default="",
        help_text="本条记录所在的留痕链：案件或操作所属法院的代字；平台级记录为空",
    )
    prev_hash = models.CharField("前一条哈希", max_length=64, help_text="同一留痕链上一条记录的哈希")
    # Not unique, not indexed: nothing looks a record up by its hash (the chain is walked in id order),
    # and a unique index on a random 64-character key put one random page into every append's commit
    # (on the screening gateway's hot path, about a quarter of a check's CPU, docs/credit.md).
    hash = models.CharField("本条哈希", max_length=64, help_text="本条记录内容与前一条哈希的SHA-256")

    class Meta:
        verbose_name = "操作留痕"
        verbose_name_plural = "操作留痕"
        ordering = ["id"]
        # One chain's records in append order: checkpoints walk only what a chain appended since.
        indexes = [models.Index(fields=["chain", "id"], name="core_audit_chain_id")]

    def __str__(self) -> str:
        at = format_datetime(self.at, MINUTE_FORMAT)  # Beijing time, as the admin shows it
        return f"{at} {self.actor_name} {self.action} {self.object_type}#{self.object_id}"


class AuditChainHead(models.Model):
    """The head of one audit chain (one row per court code, "" for the platform chain).

    Appending to a chain locks its head row, so one court's chain stays linear under concurrent
    writers while different courts append in parallel.
    """

    audit_protected = True

    chain = models.CharField(
        "留痕链", max_length=16, unique=True, default="", help_text="法院代字；平台级留痕链为空"
    )
    last_id = models.BigIntegerField("链尾记录ID", default=0, help_text="本链最后一条留痕记录的编号")
    last_hash = models.CharField("链尾哈希", max_length=64, help_text="本链最后一条留痕记录的哈希")

    class Meta:
        verbose_name = "留痕链头"
        verbose_name_plural = "留痕链头"

    def __str__(self) -> str:
        return f"{self.chain or '平台'} #{self.last_id} {self.last_hash[:12]}"


class AuditJournalMark(models.Model):
    """How far one screening journal has been moved into the audit chain (`core.audit_journal`).

    The screening engine keeps its calls' audit records in a journal file on the server's disk first (on
    disk before any answer leaves), and the journal's flusher appends them to the chain later; this row
    says up to which journal entry they are appended. It moves in the same transaction as the records it
    counts, so every entry is appended exactly once, whatever crashes when.
    """

    audit_protected = True

    journal = models.CharField(
        "日志编号", max_length=64, primary_key=True, help_text="核查留痕日志的编号（每台服务器的日志各一个）"
    )
    seq = models.BigIntegerField(
        "已入链序号", default=0, help_text="本日志中已写入留痕链的最后一条记录的序号"
    )
    moved_at = models.DateTimeField(
        "最近入链时间", auto_now=True, help_text="最近一次把日志记录写入留痕链的时间"
    )

    class Meta:
        verbose_name = "核查留痕日志进度"
        verbose_name_plural = "核查留痕日志进度"

    def __str__(self) -> str:
        return f"{self.journal} → {self.seq}"


class AuditCheckpoint(models.Model):
    """A signed statement of every audit chain's length and head hash at one moment.

    Signed with HMAC-SHA256 under a key that lives outside the database (ZHIXING_AUDIT_CHECKPOINT_KEY)
    and appended to a JSONL file meant to leave the machine, so someone who can rewrite the database
    can neither forge one nor make a chain shorter than a checkpoint said it was
    (docs/adr/0003-audit-checkpoints.md, docs/audit.md). `seq` never goes down; `prev` links each
    checkpoint to the signature of the one before.
    """

    audit_protected = True

    seq = models.PositiveBigIntegerField("序号", unique=True, help_text="检查点序号，从1起逐一递增")
    at = models.DateTimeField("时间", help_text="生成检查点的服务器时间")
    total = models.BigIntegerField("留痕总数", help_text="各留痕链记录数之和")
    chains = models.JSONField(
        "各链状态", help_text="{链: [记录数, 链尾记录ID, 链尾哈希]}，平台链的键为空字符串"
    )
    prev = models.CharField("前一检查点签名", max_length=64, blank=True, help_text="第一个检查点为空")
    key_id = models.CharField("密钥标识", max_length=16, help_text="签名密钥的指纹（非密钥本身）")
    signature = models.CharField("签名", max_length=64, help_text="HMAC-SHA256(检查点密钥, 检查点内容)")

    class Meta:
        verbose_name = "留痕检查点"
        verbose_name_plural = "留痕检查点"
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"检查点#{self.seq} {format_datetime(self.at, MINUTE_FORMAT)} {self.total}条"


class HolidayYear(models.Model):
    """A calendar year whose holidays an administrator has loaded (years chinese-calendar lacks)."""

    year = models.PositiveIntegerField("年份", unique=True, help_text="已载入节假日安排的年份，如 2027")
    source = models.CharField("依据", max_length=200, blank=True, help_text="国务院办公厅节假日安排通知文号")
    loaded_at = models.DateTimeField("载入时间", auto_now=True)

    class Meta:
        verbose_name = "节假日年度"
        verbose_name_plural = "节假日年度"
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}年"


class HolidayDay(models.Model):
    """A date that departs from the Monday–Friday pattern: a holiday or a make-up working day."""

    year = models.ForeignKey(HolidayYear, on_delete=models.CASCADE, related_name="days", verbose_name="年份")
    date = models.DateField("日期", unique=True, help_text="放假或调休上班的日期")
    is_workday = models.BooleanField(
        "是否上班", default=False, help_text="勾选表示调休上班日（周末上班）；不勾选表示法定节假日（休息）"
    )
    name = models.CharField("名称", max_length=32, blank=True, help_text="节日名称，如 春节")

    class Meta:
        verbose_name = "节假日"
        verbose_name_plural = "节假日"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_workday else '休息'} {self.name}"


class SharedCacheEntry(models.Model):
    """One entry of the database cache shared by every web process (`zhixing.core.sharedcache`).

    The table has exactly the columns Django's database cache reads and writes; declaring it as a model
    lets the migration create it (fresh databases, the test database) and lets test flushes empty it.
    Rate-limit counters live here when no Redis is configured.
    """

    cache_key = models.CharField("缓存键", max_length=255, primary_key=True, help_text="缓存条目的键")
    value = models.TextField("值", help_text="序列化后的缓存值（base64）")
    expires = models.DateTimeField("过期时间", db_index=True, help_text="条目在此时刻之后失效")

    class Meta:
        db_table = "zhixing_cache"
        verbose_name = "共享缓存条目"
        verbose_name_plural = "共享缓存条目"

    def __str__(self) -> str:
        return self.cache_key


class Notification(models.Model):
    """An in-app message to one staff member: something was assigned to them or waits for them.

    Written by `zhixing.core.notify.notify` in the caller's transaction and pushed live after commit.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name="接收人",
        help_text="收到该通知的工作人员",
    )
    kind = models.CharField("类别", max_length=40, help_text="通知类别代码，如 case.assigned、funds.approval")
    text = models.CharField("内容", max_length=300, help_text="通知正文（中文）")
    url = models.CharField("链接", max_length=300, blank=True, help_text="点击通知打开的页面（站内路径）")
    source = models.CharField(
        "来源键",
        max_length=120,
        blank=True,
        db_index=True,
        help_text="产生通知的对象，如 funds.Payout:12；同一来源的通知可去重",
    )
    created = models.DateTimeField("时间", auto_now_add=True, help_text="通知产生时间")
    read_at = models.DateTimeField(
        "已读时间", null=True, blank=True, help_text="接收人标记已读的时间；空为未读"
    )

    class Meta:
        verbose_name = "站内通知"
        verbose_name_plural = "站内通知"
        ordering = ("-created", "-id")
        indexes = [models.Index(fields=["recipient", "read_at", "-created"], name="core_notif_inbox")]

    def __str__(self) -> str:
        return self.text
