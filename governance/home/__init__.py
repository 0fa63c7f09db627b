"""Mijn werk: the home page of each role, with its own work first (issue 13)."""
