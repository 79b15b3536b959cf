"""``nav-mcp`` / ``python -m servers.nav``."""

from shared.kit.cli import Vertical, run


def vertical() -> Vertical:
    return Vertical("nav", 8004, "servers.nav")


def main() -> None:
    run(vertical())


if __name__ == "__main__":
    main()
