#!/usr/bin/env python3
"""Build the site: ``python build.py [build|check|serve|new] [options]``."""

import sys

from clinicpress.commands.cli import main

if __name__ == "__main__":
    sys.exit(main())
