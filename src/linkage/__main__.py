"""Entry point for `python -m linkage`."""

import sys

from .cli import main

sys.exit(main())
