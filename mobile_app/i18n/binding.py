"""The catalogue bound to Kivy: `text: tr._("key")` in kv re-labels on a language switch.

Kivy's documented pattern: kv binds to the attribute `_` of an Observable;
switching language calls every binding again.
"""
from __future__ import annotations

from kivy.event import Observable

from mobile_app import i18n


class Translator(Observable):
    def __init__(self):
        super().__init__()
        self._observers: list[tuple] = []

    def _(self, key: str, **params) -> str:
        return i18n._(key, **params)

    def fbind(self, name, func, *args, **kwargs):
        if name != "_":
            return super().fbind(name, func, *args, **kwargs)
        # kv's Builder binds with one positional: the tuple it wants back.
        self._observers.append((func, args[0] if len(args) == 1 else args, kwargs))
        return len(self._observers)

    def funbind(self, name, func, *args, **kwargs):
        if name != "_":
            return super().funbind(name, func, *args, **kwargs)
        wanted = args[0] if len(args) == 1 else args
        self._observers = [entry for entry in self._observers
                           if entry[0] != func or entry[1] != wanted]

    def unbind_uid(self, name, uid):
        if name != "_":
            return super().unbind_uid(name, uid)

    def switch(self, language: str) -> None:
        i18n.set_language(language)
        gone = set()
        for entry in list(self._observers):  # re-labelling may bind new widgets
            func, args, _kwargs = entry
            try:
                func(args, None, None)
            except ReferenceError:
                # A widget built from a rule (a list's card) and thrown away since:
                # nothing left to re-label, and its binding goes too.
                gone.add(id(entry))
        if gone:
            self._observers = [entry for entry in self._observers if id(entry) not in gone]

tr = Translator()
