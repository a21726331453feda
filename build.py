#!/usr/bin/env python3
"""Thin entry point: `python build.py [command] [options]`; see `python build.py --help`."""

from gongshi.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
