"""``python -m qpp_rules``: the command line (see :mod:`qpp_rules.cli`)."""

from qpp_rules.cli import main

raise SystemExit(main())
