from migrate_session.cli import main

raise SystemExit(main())
