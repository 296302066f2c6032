import sys

from mobile_app.cli import main

sys.exit(main())
