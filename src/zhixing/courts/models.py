"""Courts (four-level hierarchy), teams and staff."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from .codes import court_code_problem
from .roles import Role, role_can


class CourtLevel(models.TextChoices):
    SUPREME = "supreme", "最高人民法院"
    HIGH = "high", "高级人民法院"
    INTERMEDIATE = "intermediate", "中级人民法院"
    BASIC = "basic", "基层人民法院"


class Court(models.Model):
    """A people's court. `code` is its 法院代字 per the case-number rules (粤, 粤01, 粤0106)."""

    code = models.CharField(
        "法院代字",
        max_length=16,
        unique=True,
        help_text="案号中的法院代字：高院如“粤”，中院如“粤01”，基层如“粤0106”",
    )
    name = models.CharField("法院名称", max_length=64, help_text="法院全称，如 广州市天河区人民法院")
    level = models.CharField("审级", max_length=16, choices=CourtLevel.choices, help_text="法院层级")
    parent = models.ForeignKey(
        "self",
        verbose_name="上级法院",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="直接上级法院；高院的上级为最高法",
    )
    path = models.CharField(
        "层级路径",
        max_length=128,
        db_index=True,
        editable=False,
        help_text="自最高层至本院的代字路径，用于上下级查询",
    )

    class Meta:
        verbose_name = "法院"
        verbose_name_plural = "法院"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.path = f"{self.parent.path}{self.code}/" if self.parent else f"/{self.code}/"
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self) -> None:
        """The code must fit the court's level (案号规定 Art 5; the back office validates with it)."""
        problem = court_code_problem(self.code, self.level, self.parent.code if self.parent else None)
        if problem:
            raise ValidationError({"code": problem})

    def is_ancestor_of(self, other: Court) -> bool:
        return other.path.startswith(self.path) and other.pk != self.pk


class Team(models.Model):
    """An enforcement team (执行团队) inside a court's bureau."""

    class Kind(models.TextChoices):
        FAST = "fast", "简案快执团队"
        COMPLEX = "complex", "繁案精办团队"
        DORMANT = "dormant", "终本案件管理团队"
        GENERAL = "general", "综合执行团队"

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="teams", verbose_name="法院")
    name = models.CharField("团队名称", max_length=64, help_text="如 执行一团队")
    kind = models.CharField(
        "团队类型",
        max_length=16,
        choices=Kind.choices,
        default=Kind.GENERAL,
        help_text="繁简分流后案件进入的团队类型",
    )

    class Meta:
        verbose_name = "执行团队"
        verbose_name_plural = "执行团队"
        constraints = [models.UniqueConstraint(fields=["court", "name"], name="team_unique_name_per_court")]

    def __str__(self) -> str:
        return f"{self.court.code} {self.name}"


class Staff(AbstractUser):
    """A court employee who signs in. Belongs to one court and optionally one team."""

    audit_secret_fields = ("password",)

    full_name = models.CharField("姓名", max_length=32, help_text="工作人员真实姓名")
    court = models.ForeignKey(
        Court,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name="所在法院",
        help_text="工作人员所属法院；系统管理员可为空",
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name="所在团队",
        help_text="所属执行团队",
    )
    role = models.CharField(
        "岗位", max_length=16, choices=Role.choices, default=Role.CLERK, help_text="决定可以办理哪些事项"
    )

    class Meta:
        verbose_name = "工作人员"
        verbose_name_plural = "工作人员"

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name()

    def can(self, cap: str) -> bool:
        """Role capability check (scoping to courts is separate)."""
        return self.is_active and role_can(self.role, cap)


class ApiToken(models.Model):
    """A bearer token for API clients; only its SHA-256 is stored."""

    audit_protected = True
    audit_secret_fields = ("digest",)

    staff = models.ForeignKey(
        Staff, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="工作人员"
    )
    name = models.CharField("用途", max_length=64, help_text="令牌用途说明，如 案件管理系统对接")
    digest = models.CharField("令牌摘要", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True, help_text="吊销后令牌立即失效")

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"

    def __str__(self) -> str:
        return f"{self.staff} · {self.name}"
