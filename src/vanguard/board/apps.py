from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BoardConfig(AppConfig):
    name = "vanguard.board"
    label = "board"
    verbose_name = _("Board")

    def ready(self):
        from vanguard.board.cockpit import make_kept_figures
        from vanguard.supervision.tasks import register_after_recompute

        # The overview's ranking, week and standings, for readers of every unit.
        register_after_recompute(make_kept_figures)
