"""`python bot.py trials search --near PLACE [--km N] [--treatment T] [--status S] [--json]`.

The same search as `/trials`, all results at once, nearest first: as terminal text through
`bot.terminal` (the console's renderer), or one JSON object per study for scripts. An
unknown place is one line with the closest names and exit status 2.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from bot.http import FetchError
from bot.logs import setup_logging
from bot.settings import load_settings
from bot.storage import Database
from bot.terminal import card_text, wrap
from bot.trials.gazetteer import UnknownPlace
from bot.trials.registry import STATUSES, TREATMENTS
from bot.trials.service import (
    CAUTION,
    UNREACHABLE,
    Query,
    TrialsService,
    describe,
    study_card,
)


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("trials", help="recruiting stem-cell trials near a place")
    actions = parser.add_subparsers(dest="trials_command", metavar="ACTION", required=True)
    search = actions.add_parser("search", help="search ClinicalTrials.gov near a place")
    search.add_argument("--near", required=True, metavar="PLACE", help='e.g. "Sheffield, GB"')
    search.add_argument("--km", type=int, default=300, help="distance in km (default 300)")
    search.add_argument("--treatment", choices=sorted(TREATMENTS), default="any")
    search.add_argument("--status", choices=sorted(STATUSES), default="recruiting")
    search.add_argument("--json", action="store_true", help="one JSON object per study")
    search.set_defaults(handler=_search)


def _search(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    setup_logging("ERROR")  # retries are not news here: the last line says what failed

    async def run() -> int:
        path = settings.database.path
        db = await Database.open(path)
        service = TrialsService.create(settings, db)
        try:
            place = service.place(args.near)
            if isinstance(place, UnknownPlace):
                print(place, file=sys.stderr)
                return 2
            query = Query(place.lat, place.lon, args.km, args.treatment, args.status)
            try:
                studies = await service.studies(query)
            except FetchError as exc:
                print(f"{UNREACHABLE} ({exc})", file=sys.stderr)
                return 1
            for study in studies:
                if args.json:
                    print(json.dumps(study.as_json(), ensure_ascii=False))
                else:
                    print(card_text(study_card(study)))
            if not args.json:
                print(wrap(f"{len(studies)} studies{describe(query, place)}.\n{CAUTION}"))
            return 0
        finally:
            await service.close()
            await db.close()

    return asyncio.run(run())
