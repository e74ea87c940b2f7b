"""python -m eval.run [--gold FILE] [--out DIR] [--compare PREVIOUS.json] [--only CATEGORY] [--systems …]."""

from assistant.eval.run import main

if __name__ == "__main__":
    raise SystemExit(main())
