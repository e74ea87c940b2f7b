"""Run the help-desk API and the chat page on one server: `python app.py` (ASSISTANT_HOST, ASSISTANT_PORT)."""

from __future__ import annotations

from assistant.api.server import address_from_env, serve


def main() -> None:
    host, port = address_from_env()
    serve(host, port)


if __name__ == "__main__":
    main()
