"""``tickets-mcp`` / ``python -m servers.tickets``."""

from shared.kit.cli import Vertical, run


def vertical() -> Vertical:
    return Vertical("tickets", 8002, "servers.tickets")


def main() -> None:
    run(vertical())


if __name__ == "__main__":
    main()
