"""Small-number suppression (DESIGN.md, second edition; issue 12 item 5).

A breakdown figure of persons (an indicator whose unit counts persons, filtered on at least one
dimension value) from 1 up to `SUPPRESSION_THRESHOLD` − 1 is hidden from everyone except regie,
the functional administrator and the indicator's owning organisation; secondary suppression
hides enough other figures that it cannot be recomputed from its totals. Totals over all
dimension values are never suppressed.

- `rule`: the rule itself, over a frame of built figures (pandas, set-based);
- `viewers`: who sees which indicators unsuppressed;
- `marks`: how a suppressed figure is shown ("< 5") and explained.

The one place every figure passes through is `dashboards.rebuild.series.point_rows` (and
`points`, `suppressed_figures`): it takes the viewer and applies `rule.suppress`, whose outcome
is worked out once per build and year after each rebuild (`dashboards.rebuild.hidden`). The pages and
their CSV/XLSX downloads, the series API, lineage (page and API) and the consistency findings
(Datakwaliteit, the rules page, signals) read their figures there. Reports, board packs and the
home page show only the chain's totals over all dimension values, which are never suppressed.
"""
