"""The names of the prompts the pipeline runs; the engine's cache key derives from them."""

ARTICLE = "article"  # the shared system + numbered-article prefix of every task
EXTRACT = "extract"
LOCATE = "locate"
SUMMARIZE = "summarize"
SUMMARIZE_CLAIMS = "summarize_claims"
REFER = "refer"  # what an opening "This" stands for

PIPELINE_PROMPTS = (REFER, SUMMARIZE)  # what decides a result besides the article and model
