"""Forecast rounds and how good they were (DESIGN.md, second edition: Forecast accuracy).

`accuracy` computes, per round and forecast year, the scenarios, the realisation (the total of
the indicator that `realised_by` names, for a complete year) and the score; the Prognose page
(`dashboards.pages.forecast`) and `GET /api/v1/forecast-accuracy/` (`api`) both read it.
"""
