"""Claims: who the article names, attribution, referents, standalone claims."""
