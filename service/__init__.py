"""summarizer: grounded summaries and attributed claim lists for news articles."""

__version__ = "0.1.0"
