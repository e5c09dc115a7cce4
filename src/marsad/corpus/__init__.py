"""Corpus-level analysis: near-duplicate reports, stories, events and claims across outlets."""
