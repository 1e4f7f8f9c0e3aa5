#!/usr/bin/env python3
"""Build the site: ``python build.py [build|check|serve|new] [options]``."""

from clinicpress.commands.cli import run

if __name__ == "__main__":
    run()
