"""``food-mcp`` / ``python -m servers.food``."""

from shared.kit.cli import Vertical, run


def vertical() -> Vertical:
    return Vertical("food", 8001, "servers.food")


def main() -> None:
    run(vertical())


if __name__ == "__main__":
    main()
