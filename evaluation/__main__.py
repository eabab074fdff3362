"""`python -m evaluation run SOURCE --db FILE` and `python -m evaluation report --db FILE`."""

from __future__ import annotations

import sys

from evaluation.cli import main

if __name__ == "__main__":
    sys.exit(main())
