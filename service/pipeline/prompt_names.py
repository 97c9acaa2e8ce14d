"""The names of the prompts the pipeline runs; the engine's cache key derives from them.
(The released files of the model-extraction prompts, article, extract, locate and
summarize_claims, stay in prompts/ for the provenance of older results; nothing runs them.)"""

SUMMARIZE = "summarize"
REFER = "refer"  # what an opening "This" stands for

PIPELINE_PROMPTS = (REFER, SUMMARIZE)  # what decides a result besides the article and model
