"""`ssa-app`: the phone simulator, and the scripted QA flows.

    ssa-app --backend http://127.0.0.1:5000
    ssa-app flow --list
    ssa-app flow NAME --backend URL --screenshots DIR
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_BACKEND = "http://127.0.0.1:5000"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ssa-app", description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default=DEFAULT_BACKEND, help="the API's base URL")
    parser.add_argument("--language", choices=("vi", "en"), default="vi")
    commands = parser.add_subparsers(dest="command")
    flow = commands.add_parser("flow", help="run a scripted QA flow through the real screens")
    flow.add_argument("name", nargs="?", help="the flow to run (see --list)")
    flow.add_argument("--list", action="store_true", help="list the flows and stop")
    flow.add_argument("--backend", dest="flow_backend", help="the API's base URL")
    flow.add_argument("--screenshots", type=Path, help="folder for screenshots and the report")
    flow.add_argument("--fixtures", type=Path, help="eid_accounts.json of the demo citizens")
    return parser


def main(argv: list[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    if arguments.command == "flow":
        return _flow(arguments)
    from mobile_app.window import configure_window
    configure_window()
    from mobile_app.app import SocialSecurityApp
    SocialSecurityApp(arguments.backend, arguments.language).run()
    return 0


def _flow(arguments: argparse.Namespace) -> int:
    from mobile_app.flows.catalogue import FLOWS
    if arguments.list or not arguments.name:
        for name, flow in FLOWS.items():
            print(f"{name:28} {flow.description}")
        return 0 if arguments.list else 2
    if arguments.name not in FLOWS:
        print(f"no flow named {arguments.name!r}; see ssa-app flow --list", file=sys.stderr)
        return 2
    from mobile_app.flows.runner import run_flow
    result = run_flow(arguments.name, arguments.flow_backend or arguments.backend,
                      arguments.screenshots or Path("flow-screenshots") / arguments.name,
                      arguments.fixtures)
    print(f"{arguments.name}: {'PASSED' if result.passed else 'FAILED'} "
          f"({len(result.steps)} steps) -> {result.report_path}")
    return 0 if result.passed else 1


if __name__ == "__main__":
    sys.exit(main())
