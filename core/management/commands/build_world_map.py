"""Regenerate static/img/world-map.json from the vendored Natural Earth TopoJSON."""

from django.core.management.base import BaseCommand

from core.map import MAP_DATA_PATH, TOPOJSON_PATH, write_map_data


class Command(BaseCommand):
    help = (
        "Project the vendored Natural Earth country shapes (static/vendor/world-atlas/) into the "
        "SVG path data the offices' map is drawn from (static/img/world-map.json)."
    )

    def handle(self, *args, **options):
        data = write_map_data(TOPOJSON_PATH, MAP_DATA_PATH)
        self.stdout.write(
            f"{len(data['countries'])} countries written to {MAP_DATA_PATH} "
            f"({data['width']}×{data['height']})."
        )
