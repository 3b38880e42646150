"""``vanguard grids load FILE.geojson``: create or update the grids (网格) from a file."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from vanguard.citywork.actions.grids import do_load_grids
from vanguard.org.access import SYSTEM


class Command(BaseCommand):
    help = "Load grids from a GeoJSON FeatureCollection (properties: code, name, unit)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load"])
        parser.add_argument("file")

    def handle(self, *args, action, file, **options):
        try:
            with open(file, encoding="utf-8") as handle:
                collection = json.load(handle)
        except (OSError, ValueError) as exc:
            raise CommandError("{}: {}".format(file, exc)) from exc
        try:
            created, updated = do_load_grids(collection, actor=SYSTEM)
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        self.stdout.write("网格 / grids: {} created, {} updated".format(created, updated))
