#!/usr/bin/env python3
"""One entry point for contributors: it sets up everything it needs, then runs.

    python3 scripts/dev.py serve     # build and serve the site at http://127.0.0.1:8000/ (live reload),
                                     # with the 繁體中文版 at /zh-hant/ (rebuilt after the Simplified one)
    python3 scripts/dev.py build     # strict build into site/, and the 繁體中文版 into site/zh-hant/
    python3 scripts/dev.py test      # every test (pytest); extra arguments go to pytest, e.g. -k search
    python3 scripts/dev.py check     # the 格式手册 checks only (add --fix to fix spacing/punctuation)

Set-up, done on first use and again when a requirements file changes: a virtual environment in .venv/
with requirements.txt (serve, build) or requirements-test.txt (test), axe-core from npm (test), and
Debian's chromium package (test; installed with apt-get when running as root, otherwise you are told the
command to run). Needs Python 3.10 or newer; the tests need Linux.
"""
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
CHROMIUM = "/usr/bin/chromium"


def run(cmd, **kw):
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, **kw)


def ensure_venv(requirements: str) -> None:
    if sys.version_info < (3, 10):
        sys.exit("需要 Python 3.10 或更新版本（当前 %s）" % sys.version.split()[0])
    if not PY.exists():
        run([sys.executable, "-m", "venv", VENV])
    reqs = [ROOT / "requirements.txt"] + ([ROOT / requirements] if requirements != "requirements.txt" else [])
    stamp = VENV / f".{requirements}.sha256"
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in reqs)).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    run([PY, "-m", "pip", "install", "--disable-pip-version-check", "-q", "-r", ROOT / requirements])
    stamp.write_text(digest)


def ensure_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        run(["apt-get", "update", "-qq"])
        run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"],
            env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
        return
    sys.exit(f"浏览器测试需要 Debian 的 chromium（{CHROMIUM}）。请先运行：sudo apt-get install chromium")


def ensure_axe() -> None:
    target = ROOT / "node_modules" / "axe-core" / "axe.min.js"
    stamp = ROOT / "node_modules" / ".package-lock.sha256"
    lock = ROOT / "package-lock.json"
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()
    if target.exists() and stamp.exists() and stamp.read_text() == digest:
        return
    if not shutil.which("npm"):
        sys.exit("无障碍测试需要 npm（Node.js）：sudo apt-get install npm")
    run(["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=ROOT)
    stamp.write_text(digest)


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in {"serve", "build", "test", "check"}:
        print(__doc__)
        return 2
    cmd, rest = sys.argv[1], sys.argv[2:]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    os.chdir(ROOT)
    if cmd == "serve":
        ensure_venv("requirements.txt")
        return subprocess.call([str(BIN / "mkdocs"), "serve", "-a", "127.0.0.1:8000", *rest], env=env)
    if cmd == "build":
        ensure_venv("requirements.txt")
        # The Simplified build empties site/ first, so the Traditional edition (mkdocs.zh-hant.yml) goes second.
        return (subprocess.call([str(BIN / "mkdocs"), "build", "--strict", *rest], env=env)
                or subprocess.call([str(BIN / "mkdocs"), "build", "--strict", "-f", "mkdocs.zh-hant.yml"], env=env))
    if cmd == "check":
        ensure_venv("requirements.txt")
        return subprocess.call([str(PY), "scripts/check_docs.py", *rest], env=env)
    ensure_venv("requirements-test.txt")
    ensure_chromium()
    ensure_axe()
    return subprocess.call([str(PY), "-m", "pytest", "tests", *rest], env=env)


if __name__ == "__main__":
    sys.exit(main())
