"""Payment history: totals per year, filters by year and programme, the payments.

The list is polled (ETags make an unchanged answer cheap) while the screen is
open, so a payment that gets paid changes colour by itself.
"""
from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import DictProperty, ObjectProperty

from mobile_app.i18n import _, format_amount
from mobile_app.presenting import (
    payment_filter_choices,
    payment_status_tone,
    payment_summary,
    period_words,
    year_total_words,
)
from mobile_app.screens.base import AppScreen

POLL_SECONDS = 5.0


class PaymentsScreen(AppScreen):
    year = ObjectProperty(None, allownone=True)  # the chosen filter, None for all
    programme = ObjectProperty(None, allownone=True)
    page = DictProperty()  # GET /me/payments for the chosen filters, {} while loading

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._years: list[int] = []
        self._programmes: dict[str, str] = {}  # code -> name, in the language of the answers
        self._query: dict = {}
        self._poller = self.follow(self._fetch, self._polled, POLL_SECONDS,
                                   keep_polling=lambda: True)

    def on_kv_post(self, base_widget) -> None:
        super().on_kv_post(base_widget)
        # Another citizen, or programme names in another language: choose afresh.
        self.app.bind(citizen=lambda *_: self._forget_choices(),
                      language=lambda *_: self._forget_choices())

    def _forget_choices(self) -> None:
        self.year = self.programme = None
        self._years, self._programmes = [], {}
        if self.showing:
            self._reload()  # the backend names the programmes in the new language

    def on_enter(self, *_args) -> None:
        self._reload()

    def choose(self, year=None, programme=None) -> None:
        """A filter chip was tapped: load the list for the new choice."""
        self.year, self.programme = year, programme
        self._reload()

    def _reload(self) -> None:
        self.page = {}  # the next answer is shown, even an unchanged (cached) one
        self._query = {"year": self.year, "programme": self.programme}
        self._poller.start()

    def _fetch(self):
        query = self._query  # the query of this round, whatever is tapped meanwhile
        return self.app.client.payments(**query)

    def _polled(self, polled) -> None:
        if polled.changed or not self.page:
            self.page = polled.body
            self._years, self._programmes = payment_filter_choices(
                self.page, self._years, self._programmes)
            self.relabel()

    def relabel(self) -> None:
        self._show_filters()
        self._show_totals()
        self._show_payments()

    def _show_filters(self) -> None:
        self._fill_chips(self.ids.years, [(None, _("payments.all_years"))]
                         + [(year, str(year)) for year in self._years],
                         self.year, lambda year: self.choose(year, self.programme))
        self._fill_chips(self.ids.programmes, [(None, _("payments.all_programmes"))]
                         + list(self._programmes.items()),
                         self.programme, lambda programme: self.choose(self.year, programme))

    def _fill_chips(self, box, choices, chosen, on_choose) -> None:
        box.clear_widgets()
        group = f"{self.name}-{box.uid}"
        for value, text in choices:
            chip = Factory.FilterChip(text=text, value=value, group=group,
                                      state="down" if value == chosen else "normal")
            chip.bind(on_release=lambda _chip, value=value: on_choose(value))
            box.add_widget(chip)

    def _show_totals(self) -> None:
        box = self.ids.totals
        box.clear_widgets()
        totals = self.page.get("totals_by_year", [])
        if self.page and not totals:
            box.add_widget(Factory.BodyLabel(text=_("payments.no_totals")))
        for total in totals:
            label, value = year_total_words(total)
            box.add_widget(Factory.DetailRow(label=label, value=value))

    def _show_payments(self) -> None:
        box = self.ids.payments
        box.clear_widgets()
        if self.page and not self.page.get("items"):
            box.add_widget(Factory.BodyLabel(text=_(
                "payments.none_filtered" if self.year or self.programme else "payments.none")))
        for payment in self.page.get("items", []):
            row = Factory.PaymentRow(
                title=period_words(payment["period"]),
                programme=payment.get("programme_name") or payment["programme"],
                amount=format_amount(payment["amount_vnd"]),
                status_text=payment_summary(payment),
                tone=payment_status_tone(payment["status"]))
            row.payment_id = payment["id"]
            row.bind(on_release=lambda _row, chosen=payment: self.open_payment(chosen))
            box.add_widget(row)

    def open_payment(self, payment: dict) -> None:
        self.app.go("payment", payment_id=payment["id"])
