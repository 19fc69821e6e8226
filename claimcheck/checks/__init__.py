"""One module per kind of check; each yields Findings."""
