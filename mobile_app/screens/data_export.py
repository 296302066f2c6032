"""My data: download everything the service holds on me, see what it holds and where
the file was saved."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from kivy.factory import Factory
from kivy.properties import StringProperty

from mobile_app.exports import export_counts, save_export
from mobile_app.i18n import _
from mobile_app.screens.base import AppScreen


class DataExportScreen(AppScreen):
    saved_to = StringProperty("")  # the file of the last export, "" before one

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._counts: list[tuple[str, int]] = []

    def on_enter(self, *_args) -> None:
        self.saved_to = ""
        self._counts = []
        self.relabel()

    def download(self) -> None:
        folder = self.app.exports_folder or Path(self.app.user_data_dir) / "exports"

        def fetch_and_save() -> tuple[str, list]:
            document = self.app.client.data_export()
            return str(save_export(document, folder, datetime.now())), export_counts(document)

        self.app.call(fetch_and_save, self._saved)

    def _saved(self, saved: tuple[str, list]) -> None:
        self.saved_to, self._counts = saved
        self.relabel()

    def relabel(self) -> None:
        box = self.ids.summary
        box.clear_widgets()
        for part, count in self._counts:
            box.add_widget(Factory.DetailRow(label=_(f"export.part.{part}"), value=str(count)))
