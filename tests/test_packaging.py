"""The wheel carries everything it needs: built from the checkout, installed in a fresh venv outside it, it runs
the demo (all four servers over stdio on a fresh sandbox) and its data comes from the installed package."""

from __future__ import annotations

import os
import site
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_the_built_wheel_runs_the_demo_from_a_venv_outside_the_checkout(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(REPO)],
        check=True, timeout=300, capture_output=True,
    )  # fmt: skip
    (wheel,) = wheels.glob("lifestyle_mcp-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    target = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                 check=True, capture_output=True, text=True).stdout.strip())  # fmt: skip
    # The dependencies come from this environment's site-packages, listed as a plain path: its .pth files (the
    # editable install of the checkout among them) are not processed, so only the wheel provides our packages.
    (target / "deps.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)],
                   check=True, timeout=300, capture_output=True)  # fmt: skip
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "LIFESTYLE_DATA_DIR": str(tmp_path / "data")}
    where = subprocess.run([str(python), "-c", "import shared, servers, clients; print(shared.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=True)  # fmt: skip
    demo = subprocess.run([str(venv / "bin" / "lifestyle-mcp"), "demo"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=600)  # fmt: skip
    assert where.stdout.startswith(str(target)), where.stdout
    assert demo.returncode == 0, demo.stderr[-3000:]
    assert "the sum of the ledger" in demo.stdout and "from Home" in demo.stdout
    assert str(REPO) not in demo.stdout + demo.stderr
