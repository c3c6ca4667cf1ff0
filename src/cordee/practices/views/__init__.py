"""The pages of good practices: the sheets (`sheets`)."""
