"""`ssa`, the console script (also `python -m backend`): the commands of backend.cli
on an app made by create_app from the environment."""
from __future__ import annotations

from flask.cli import FlaskGroup

from backend.app import create_app

main = FlaskGroup(name="ssa", create_app=create_app, add_default_commands=False,
                  add_version_option=False, load_dotenv=False,
                  help="Social security account service.")

if __name__ == "__main__":
    main()
