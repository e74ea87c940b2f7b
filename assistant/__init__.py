"""工会建会入会政策助手: clause-grounded answers on setting up unions and recruiting members."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.core import Assistant

__all__ = ["Assistant"]


def __getattr__(name: str) -> Any:
    # Lazy: `import assistant.text` must not pull in torch and chromadb.
    if name == "Assistant":
        from assistant.core import Assistant

        return Assistant
    raise AttributeError(name)
