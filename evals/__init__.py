"""Offline evaluation of the summarizer: labelled cases, matching and scorers."""
