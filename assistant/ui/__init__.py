"""Gradio chat page mounted on the API app: mount_ui(app, bot)."""

from assistant.ui.app import ChatPage, mount_ui

__all__ = ["ChatPage", "mount_ui"]
