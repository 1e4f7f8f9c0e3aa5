"""``python -m clinicpress``: the same commands as ``build.py`` and ``clinicpress``."""

from clinicpress.commands.cli import run

run()
