"""``python -m tradecontrol`` runs the command-line interface."""

from tradecontrol.cli import main

raise SystemExit(main())
