"""Releases: the figures frozen at a moment under a name ("Kwartaal 2026-Q3").

A release copies no figure. It records, per indicator, the pointer readers followed at that
moment (`ReleaseBuild`: the base build whose partition holds the rows and the version readers
read them at, exactly as `IndicatorBuild`), and the moment itself (`frozen_at`). Reading a release
is reading those pointers; the rebuild's pruning keeps every row some release pointer can see
(`dashboards.rebuild.retention`). The cells current at the moment are the approved observations
of uploads approved by `frozen_at`, the latest per cell: what the corrections list compares with.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .builds import Rebuild
from .catalogue import Indicator


class Release(models.Model):
    """A named moment whose figures stay readable exactly as they were. Never deleted."""

    name = models.CharField(_("naam"), max_length=100, unique=True)
    frozen_at = models.DateTimeField(_("vastgesteld op"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vastgesteld door"),
    )

    class Meta:
        ordering = ["-frozen_at", "-pk"]
        verbose_name = _("release")
        verbose_name_plural = _("releases")

    def __str__(self) -> str:
        return self.name


class ReleaseBuild(models.Model):
    """The pointer of one indicator in a release: the rows of `base` as `rebuild` left them
    (written by `version` or earlier, not replaced by then), as `IndicatorBuild` at the moment.
    `version` repeats `rebuild.version` so the pruning's SQL needs no join."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="builds")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    rebuild = models.ForeignKey(Rebuild, on_delete=models.PROTECT, related_name="+")
    base = models.ForeignKey(Rebuild, on_delete=models.PROTECT, related_name="+")
    version = models.BigIntegerField()
    #: The pointer's digest when it was frozen (`IndicatorBuild.digest`).
    digest = models.DecimalField(max_digits=40, decimal_places=0, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["release", "indicator"], name="release_indicator")
        ]
        indexes = [models.Index(fields=["base", "indicator"], name="releasebuild_base")]

    def __str__(self) -> str:
        return f"{self.release_id}: {self.indicator_id} → {self.base_id}@{self.version}"
