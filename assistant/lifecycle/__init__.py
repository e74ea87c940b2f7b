"""Lifecycle: ingest and diff of corpus files, rule review, version snapshots, the audit line format, replay."""
