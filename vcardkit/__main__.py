"""``python -m vcardkit``."""

from vcardkit._cli._main import main

raise SystemExit(main())
