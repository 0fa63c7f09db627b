"""The dashboards app's models, one module per idea; importing them here makes them the app's.

- `catalogue`: the indicators partners deliver;
- `uploads`: uploads, their validation issues, the immutable observations and the current cells;
- `builds`: rebuilds, the pointers readers follow, and the built figures (series and burn-up);
- `annotations`: duiding, short explanations of an indicator's figures for a period;
- `releases`: named moments whose figures stay readable as they were (pointers, no copies);
- `consistency`: rules that compare the partners' figures with each other;
- `health`: heartbeats of worker and beat; `scan`: malware quarantine and uploads waiting for it.
"""

from .annotations import Annotation
from .builds import (
    SERIES_YEAR_SLOTS,
    IndicatorBuild,
    ProgressKind,
    ProgressPoint,
    Rebuild,
    RebuildScope,
    RebuildStatus,
    RebuildTrigger,
    SeriesPoint,
    SeriesYear,
    series_year_columns,
)
from .catalogue import Aggregation, Frequency, Indicator
from .consistency import ConsistencyRule
from .health import Heartbeat
from .releases import Release, ReleaseBuild
from .scan import PendingScan, QuarantinedFile
from .uploads import (
    ROUND,
    CurrentCell,
    Observation,
    Severity,
    Upload,
    UploadIssue,
    UploadStatus,
    dimension_key_of,
    dimensions_of,
    series_key,
    split_series_key,
)

__all__ = [
    "ROUND",
    "SERIES_YEAR_SLOTS",
    "Aggregation",
    "Annotation",
    "ConsistencyRule",
    "CurrentCell",
    "Frequency",
    "Heartbeat",
    "Indicator",
    "IndicatorBuild",
    "Observation",
    "PendingScan",
    "ProgressKind",
    "ProgressPoint",
    "QuarantinedFile",
    "Rebuild",
    "RebuildScope",
    "RebuildStatus",
    "RebuildTrigger",
    "Release",
    "ReleaseBuild",
    "SeriesPoint",
    "SeriesYear",
    "Severity",
    "Upload",
    "UploadIssue",
    "UploadStatus",
    "dimension_key_of",
    "dimensions_of",
    "series_key",
    "series_year_columns",
    "split_series_key",
]
