"""HTTP API for help-desk systems: create_app(bot, settings) builds the FastAPI app."""

from assistant.api.app import create_app
from assistant.api.settings import ApiSettings

__all__ = ["ApiSettings", "create_app"]
