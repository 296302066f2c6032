"""The screens: one .py + one .kv each, inside a shell with the spinner over them."""
from __future__ import annotations

import importlib
from pathlib import Path

from kivy.factory import Factory
from kivy.lang import Builder

HERE = Path(__file__).parent
# (screen name, module, class): the order is the order they are built in.
SCREENS = [
    ("login", "login", "LoginScreen"),
    ("otp", "one_time_code", "OneTimeCodeScreen"),
    ("recovery", "recovery", "RecoveryScreen"),
    ("home", "home", "HomeScreen"),
    ("level2", "level2", "Level2Screen"),
    ("account", "account", "AccountScreen"),
    ("choose_institution", "choose_institution", "ChooseInstitutionScreen"),
    ("link", "link", "LinkScreen"),
    ("link_status", "link_status", "LinkStatusScreen"),
    ("payments", "payments", "PaymentsScreen"),
    ("payment", "payment", "PaymentScreen"),
    ("payment_report", "payment_report", "PaymentReportScreen"),
    ("notifications", "notifications", "NotificationsScreen"),
    ("unlink", "unlink", "UnlinkScreen"),
    ("dispute", "dispute", "DisputeScreen"),
    ("authorisations", "authorisations", "AuthorisationsScreen"),
    ("name_authorised", "name_authorised", "NameAuthorisedScreen"),
    ("settings", "settings", "SettingsScreen"),
    ("passcode", "passcode", "PasscodeScreen"),
    ("sessions", "sessions", "SessionsScreen"),
    ("consents", "consents", "ConsentsScreen"),
    ("notification_preferences", "notification_preferences", "NotificationPreferencesScreen"),
    ("data_export", "data_export", "DataExportScreen"),
]


def _load_kv(name: str) -> None:
    path = str(HERE / f"{name}.kv")
    if path not in Builder.files:  # a rule loaded twice would build its widgets twice
        Builder.load_file(path)


def build_shell():
    importlib.import_module("mobile_app.screens.widgets")
    _load_kv("widgets")
    _load_kv("shell")
    shell = Factory.Shell()
    for name, module, class_name in SCREENS:
        screen_class = getattr(importlib.import_module(f"mobile_app.screens.{module}"),
                               class_name)
        _load_kv(module)
        shell.ids.manager.add_widget(screen_class(name=name))
    shell.ids.manager.current = "login"
    return shell
