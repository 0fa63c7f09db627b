"""The database side of validation: the catalogue and current cells it reads, and how its
outcome is stored (issues and observations by COPY, in one transaction with the status)."""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
from django.db import connection, transaction
from django.utils import timezone

from dashboards.catalogue.labels import value_aliases
from dashboards.models import (
    CurrentCell,
    Indicator,
    Observation,
    Upload,
    UploadIssue,
    UploadStatus,
    series_key,
)
from governance.models import Organisation

from . import pgcopy, validation


def indicator_specs() -> dict[str, validation.IndicatorSpec]:
    """The catalogue as validation needs it, keyed by code (one query)."""
    return {
        i.code: validation.IndicatorSpec(
            id=i.pk,
            code=i.code,
            owner=i.owner.code,
            frequency=i.frequency,
            dimensions=i.dimensions or {},
            is_count=i.is_count,
            is_forecast=i.is_forecast,
            tolerance_percent=i.tolerance_percent,
            plausible_min=None if i.plausible_min is None else float(i.plausible_min),
            plausible_max=None if i.plausible_max is None else float(i.plausible_max),
            active=i.active,
            value_aliases=value_aliases(i),
        )
        for i in Indicator.objects.select_related("owner")
    }


def current_cells_frame(
    *, organisation: Organisation, indicator_ids: Iterable[int]
) -> pd.DataFrame:
    """The organisation's current approved cells of these indicators, for validation (one query)."""
    indicator_ids = list(indicator_ids)
    if not indicator_ids:
        return validation.empty_current()
    rows = CurrentCell.objects.filter(
        organisation=organisation, indicator_id__in=indicator_ids
    ).values_list(
        "indicator__code",
        "period",
        "observation__period_type",
        "dimension_key",
        "observation__value",
        "observation__upload_id",
        "round",
    )
    frame = pd.DataFrame(
        list(rows),
        columns=[
            "indicator", "period", "period_type", "dimension_key", "value", "upload_id", "round",
        ],
    )  # fmt: skip
    if frame.empty:
        return validation.empty_current()
    frame["value"] = frame["value"].astype(float)
    # Validation compares cells by their key with the round in it (`validation.rounds`).
    forecast = frame["round"] != ""
    if forecast.any():
        frame.loc[forecast, "dimension_key"] = [
            series_key(k, r)
            for k, r in zip(
                frame.loc[forecast, "dimension_key"], frame.loc[forecast, "round"], strict=True
            )
        ]
    return frame.drop(columns="round")


@transaction.atomic
def store_result(upload_id: int, result: validation.Result) -> Upload:
    upload = Upload.objects.select_for_update().get(pk=upload_id)
    if upload.status != UploadStatus.VALIDATING:
        return upload  # another run finished first
    if result.is_valid and result.observations is not None:
        observations = result.observations.assign(
            upload_id=upload.pk, organisation_id=upload.organisation_id
        )
        _lock_parents(
            indicator_ids=observations["indicator_id"].unique().tolist(),
            organisation_id=upload.organisation_id,
        )
        result = _store_observations(observations, result)
    result = result.with_warnings()
    issues = result.issues.assign(upload_id=upload.pk)
    issues["row"] = issues["row"].astype("Int64")
    copy_frame(UploadIssue, ["upload_id", *validation.ISSUE_COLUMNS], issues)
    upload.status = UploadStatus.VALID if result.is_valid else UploadStatus.INVALID
    upload.rows = result.rows
    upload.rows_read = result.rows
    upload.error_count = result.error_count
    upload.warning_count = result.warning_count
    upload.validation_finished_at = timezone.now()
    upload.save(
        update_fields=[
            "status",
            "rows",
            "rows_read",
            "error_count",
            "warning_count",
            "validation_finished_at",
        ]
    )
    return upload


def _store_observations(observations: pd.DataFrame, result: validation.Result) -> validation.Result:
    """COPY the observations while the result's warnings are computed in a thread.

    Every error rule has run before (an upload with an error never gets here), and warnings do
    not block storing: so the server stores while this process computes them, instead of the
    two taking turns. Returns the result with its warnings; an exception on either side ends
    the transaction.
    """
    if result.pending_warnings is None:
        copy_frame(Observation, OBSERVATION_COLUMNS, observations)
        return result
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="upload-warnings") as pool:
        warned = pool.submit(result.with_warnings)
        copy_frame(Observation, OBSERVATION_COLUMNS, observations)
        return warned.result()


def _lock_parents(*, indicator_ids: list[int], organisation_id: int) -> None:
    """The foreign key check of the observations, done once per parent instead of per row.

    Locks the indicators and the organisation FOR KEY SHARE (what a foreign key trigger does
    for every row) until commit, and refuses if one is gone. The upload row is already locked.
    """
    lock = " FOR KEY SHARE" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT id FROM dashboards_indicator WHERE id IN "  # noqa: S608
            f"({', '.join(['%s'] * len(indicator_ids))}){lock}) AS parents",
            indicator_ids,
        )
        found_indicators = cursor.fetchone()[0]
        sql = f"SELECT id FROM governance_organisation WHERE id = %s{lock}"  # noqa: S608
        cursor.execute(sql, [organisation_id])
        found_organisation = cursor.fetchone() is not None
    if found_indicators != len(indicator_ids) or not found_organisation:
        raise RuntimeError("An indicator or the organisation of this upload no longer exists.")


OBSERVATION_COLUMNS = [
    "upload_id",
    "indicator_id",
    "organisation_id",
    "period",
    "period_type",
    "period_start",
    "period_end",
    "dimension_key",
    "value",
    "row",
    "round",
]


def copy_frame(model, columns: list[str], frame: pd.DataFrame) -> None:
    """Insert a frame's rows as a set: PostgreSQL binary COPY (dashboards.pgcopy), encoded
    while the server stores; elsewhere (SQLite demo) bulk_create."""
    if frame.empty:
        return
    if connection.vendor == "postgresql":
        quote = connection.ops.quote_name
        fields = [model._meta.get_field(c.removesuffix("_id")) for c in columns]
        with connection.cursor() as cursor:
            pgcopy.copy_binary(
                cursor,
                quote(model._meta.db_table),
                [quote(f.column) for f in fields],
                frame[columns],
                kinds=[pgcopy.kind_of(f.db_type(connection)) for f in fields],
                scales=[getattr(f, "decimal_places", 0) or 0 for f in fields],
            )
        return
    records = frame[columns].astype(object).where(frame[columns].notna(), None)
    model.objects.bulk_create(
        (
            model(**dict(zip(columns, values, strict=True)))
            for values in records.itertuples(index=False)
        ),
        batch_size=1000,
    )
