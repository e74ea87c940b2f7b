"""Evaluation scripts and gold data (run from the repository root: python -m eval.retrieval)."""
