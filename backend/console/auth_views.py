"""Sign-in (password and one-time code), sign-out, the language switch, home."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, session, url_for
from marshmallow import ValidationError

from backend.console import signed_in
from backend.console.blueprint import console
from backend.console.catalogue import LANGUAGES, error_message, t
from backend.console.forms import SignInForm
from backend.db import utcnow
from backend.errors import ApiError
from backend.extensions import limiter, login_rate_limit
from backend.services.identity import staff_login


@console.get("/sign-in")
def sign_in():
    if g.staff is not None:
        return redirect(url_for("console.home"))
    return render_template("console/sign_in.html", next=request.args.get("next", ""))


@console.post("/sign-in")
@limiter.limit(login_rate_limit)
def sign_in_submit():
    form = request.form
    page = {"next": form.get("next", ""), "username": form.get("username", "")}
    try:
        login = SignInForm().load({"username": form.get("username", ""),
                                         "password": form.get("password", ""),
                                         "otp": form.get("otp", "").strip()})
    except ValidationError:
        return render_template("console/sign_in.html", problem=t("sign_in.incomplete"),
                               **page), 422
    now = utcnow()
    try:
        staff, session_id = staff_login.sign_in_without_tokens(
            login["username"], login["password"], login["otp"], now)
    except ApiError as refusal:
        return render_template("console/sign_in.html", problem=_sign_in_problem(refusal),
                               **page), refusal.status
    signed_in.begin(staff, session_id, now)
    return redirect(signed_in.safe_next(page["next"]) or url_for("console.home"))


def _sign_in_problem(refusal: ApiError) -> str:
    if refusal.code == "INVALID_CREDENTIALS":
        # The shared text speaks of a personal ID; staff sign in with a username.
        return t("sign_in.invalid_credentials")
    return error_message(refusal)


@console.post("/sign-out")
def sign_out():
    signed_in.end(utcnow(), "signed_out")
    flash(t("sign_out.done"), "success")
    return redirect(url_for("console.sign_in"))


@console.post("/language")
def switch_language():
    if request.form.get("lang") in LANGUAGES:
        session["lang"] = request.form["lang"]
    return redirect(signed_in.safe_next(request.form.get("next")) or url_for("console.home"))


@console.get("/")
@signed_in.role_required()
def home():
    return render_template("console/home.html")
