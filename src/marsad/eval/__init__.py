"""Evaluation against reference data."""
