"""Duiding (annotations): short explanations of figures, written by regie and the owning
organisation, drawn on the charts, listed in lineage and carried into reports (issue 12)."""
