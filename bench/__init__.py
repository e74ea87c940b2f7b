"""Benchmarks (scripts, not tests): python -m bench.search, python -m bench.load."""
