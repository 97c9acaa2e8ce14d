"""Reading an article: clean, segment into sentences, parse."""
