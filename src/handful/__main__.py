import sys

from handful.cli import main

sys.exit(main())
