"""``python -m qpp_rules``: the command line."""

from qpp_rules.cli import main

raise SystemExit(main())
