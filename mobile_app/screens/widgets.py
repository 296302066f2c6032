"""The app's building blocks (look only; rules stay in presenting.py): bars, cards,
buttons, fields, the step-up field, spinner."""
from __future__ import annotations

from kivy.animation import Animation
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior, ToggleButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.label import Label
from kivy.uix.modalview import ModalView

from mobile_app.client import ApiError, ClientError
from mobile_app.presenting import step_up_factor_asked


class BodyLabel(Label):
    """Wrapping text that takes the height it needs."""


class TopBar(BoxLayout):
    title = StringProperty("")
    can_go_back = BooleanProperty(True)


class Card(BoxLayout):
    pass


class PrimaryButton(ButtonBehavior, Label):
    pass


class SecondaryButton(ButtonBehavior, Label):
    pass


class LinkButton(ButtonBehavior, Label):
    pass


class RowButton(ButtonBehavior, BoxLayout):
    """A tappable list row with a title, a second line and a tone."""
    title = StringProperty("")
    subtitle = StringProperty("")
    tone = StringProperty("muted")


class LoadProblem(Card):
    """Said in place of "loading..." when a screen's first load failed, with a retry."""
    shown = BooleanProperty(False)
    __events__ = ("on_retry",)

    def on_retry(self) -> None:
        pass


class StepUpField(BoxLayout):
    """The second factor of a sensitive action, one field for every screen: the
    6-digit passcode (masked), or a fresh one-time code for a citizen without one.

    `mode` is "passcode", "otp", or "" (not asked: hidden, like `shown` False).
    """
    mode = StringProperty("")
    shown = BooleanProperty(True)
    asked = BooleanProperty(False)  # kv: a mode and shown
    complete = BooleanProperty(False)  # kv: 6 digits typed

    def factor(self) -> tuple[str, str]:
        """(one-time code, passcode): what the client sends, one of them empty."""
        typed = self.ids.code.text.strip()
        return (typed, "") if self.mode == "otp" else ("", typed)

    def clear(self) -> None:
        # A code is used once, a wrong passcode is typed again: nothing is kept.
        self.ids.code.text = ""

    def refused(self, error: ClientError) -> bool:
        """After the server refused the action: empty, and ready for the factor it
        asks for next. True if asking is the whole answer (STEP_UP_REQUIRED): the
        screen shows no dialog then."""
        self.clear()
        asked = step_up_factor_asked(error)
        if asked:
            self.mode = asked
            self.ids.code.focus = True
        return bool(asked) and isinstance(error, ApiError) and error.code == "STEP_UP_REQUIRED"


class StatusChip(Label):
    tone = StringProperty("muted")


class TimelineRow(BoxLayout):
    status_text = StringProperty("")
    when = StringProperty("")
    detail = StringProperty("")
    tone = StringProperty("muted")


class BusyOverlay(FloatLayout):
    """A dimmed layer with a turning arc while the app waits for the backend."""
    active = BooleanProperty(False)
    angle = NumericProperty(0)

    def on_active(self, _overlay, active: bool) -> None:
        Animation.cancel_all(self, "angle")
        if active:
            turning = Animation(angle=360, duration=1.0)
            turning.bind(on_complete=lambda *_: setattr(self, "angle", 0))
            turning.repeat = True
            turning.start(self)

    def on_touch_down(self, touch):
        return self.active or super().on_touch_down(touch)  # no taps while waiting


class MessageDialog(ModalView):
    """The one dialog that shows errors and confirmations."""
    message = StringProperty("")
    confirm_text = StringProperty("")
    dismiss_text = StringProperty("")

    def __init__(self, on_confirm=None, **kwargs):
        super().__init__(**kwargs)
        self._on_confirm = on_confirm

    def confirm(self) -> None:
        self.dismiss()
        if self._on_confirm is not None:
            self._on_confirm()


class HomeTile(ButtonBehavior, BoxLayout):
    """A large service tile on the home screen."""
    icon = StringProperty("")
    title = StringProperty("")
    subtitle = StringProperty("")
    tone = StringProperty("muted")


class ConsentBox(ToggleButtonBehavior, BoxLayout):
    """A large tick box with its sentence; `state` is "down" when ticked."""
    text = StringProperty("")


class DetailRow(BoxLayout):
    """A caption over its value: "Ngày sinh" / "06/02/1992"."""
    label = StringProperty("")
    value = StringProperty("")


class NotificationCard(ButtonBehavior, BoxLayout):
    title = StringProperty("")
    body = StringProperty("")
    when = StringProperty("")
    state_text = StringProperty("")
    unread = BooleanProperty(False)


class FilterChip(ToggleButtonBehavior, Label):
    """One choice of a filter ("2026", "Lương hưu"); `value` is what it filters by."""
    value = ObjectProperty(None, allownone=True)


class PaymentRow(ButtonBehavior, BoxLayout):
    """A payment in the history list: the month, the programme, the amount, the status."""
    title = StringProperty("")
    programme = StringProperty("")
    amount = StringProperty("")
    status_text = StringProperty("")
    tone = StringProperty("muted")
