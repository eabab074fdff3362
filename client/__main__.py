"""`python -m client ...`: see `client.cli`."""

from __future__ import annotations

from client.cli import main

raise SystemExit(main())
