"""The brief: rank claims, shorten, headline, summary."""
