"""``movies-mcp`` / ``python -m servers.movies``."""

from shared.kit.cli import Vertical, run


def vertical() -> Vertical:
    return Vertical("movies", 8003, "servers.movies")


def main() -> None:
    run(vertical())


if __name__ == "__main__":
    main()
