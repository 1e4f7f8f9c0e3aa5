"""``python -m clinicpress``: the same commands as ``build.py`` and ``clinicpress``."""

import sys

from clinicpress.commands.cli import main

sys.exit(main())
