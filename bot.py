"""Entry point: `python bot.py [command]`. Everything lives in bot.cli."""

import sys

from bot.cli import main

if __name__ == "__main__":
    sys.exit(main())
