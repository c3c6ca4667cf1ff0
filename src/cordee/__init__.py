"""Cordée: the platform of a territorial cooperation hub (PTCE)."""

__version__ = "0.1.0"
