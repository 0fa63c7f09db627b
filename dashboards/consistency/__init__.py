"""Chain consistency checks: rules regie defines that compare partners' figures with each other,
computed from the current build after every rebuild, shown on their page and on Datakwaliteit,
and raised as signals (issue 12)."""
