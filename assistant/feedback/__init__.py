"""Feedback on answers (👍/👎 with the question and the reply), kept in SQLite under the data dir."""

from assistant.feedback.store import FeedbackRecord, FeedbackStore

__all__ = ["FeedbackRecord", "FeedbackStore"]
