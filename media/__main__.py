"""Entry point for `python -m media`."""

from __future__ import annotations

import sys

from media.cli import main

if __name__ == "__main__":
    sys.exit(main())
