"""Lineage: where a figure comes from (issue 12).

The current cells behind one figure of a dashboard or of the series API, per organisation and
dimension value, each with the upload that delivered it, who sent and approved it and when, and
the values it superseded. `cells.lineage()` is the one reading; the page and the API show it.
"""
