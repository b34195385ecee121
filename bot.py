"""Entry point: `python bot.py [command]`. Everything lives in bot.cli."""

import os
import sys

# One BLAS thread, set before numpy loads: the bot is single-threaded by design (predictable
# latency on a shared machine), and a fit summed in the same order on every machine is what
# lets `models check` compare a refit with the shipped files. A deployment may override it.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

from bot.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
