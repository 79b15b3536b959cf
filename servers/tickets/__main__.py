"""``tickets-mcp`` / ``python -m servers.tickets``."""

from shared.kit.cli import Vertical, run


def vertical() -> Vertical:
    from .backend.app import create_app, prepare
    from .server import build_server

    return Vertical("tickets", 8002, build_server, create_app, prepare)


def main() -> None:
    run(vertical())


if __name__ == "__main__":
    main()
