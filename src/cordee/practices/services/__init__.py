"""Writes of good practices: the sheets, their review and their files (`sheets`)."""
