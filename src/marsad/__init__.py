"""Marsad: reading Arabic news at scale."""

__version__ = "0.1.0"
