"""`python -m gongshi` runs the command line."""

from gongshi.cli import main

raise SystemExit(main())
