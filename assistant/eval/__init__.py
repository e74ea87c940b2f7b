"""Eval: gold-set loading, ID-based metrics and evaluation runs (the data lives in the top-level eval/)."""
