"""Releases: regie freezes the figures at a moment under a name; see `services`."""
