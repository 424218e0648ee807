"""``python -m migrate_session.verify``: the same command as ``migrate-session verify``."""

import sys

from migrate_session.verify.command import main

sys.exit(main())
