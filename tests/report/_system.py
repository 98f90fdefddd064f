"""System programs the presentation tests need (Chromium, a CJK font), found or installed.

CI installs them in ``.ci/run``; on a bare machine a test run as root installs the Debian
packages itself, and anywhere else the tests that need them skip and say what to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"  # gitignored screenshots
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Flags for a throw-away, quiet, offline browser (the profile dir is passed separately).
CHROMIUM_ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run")


def apt_install(*packages: str) -> bool:
    """``apt-get install`` as root on Debian/Ubuntu; False when not possible or it failed."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("apt-get"):
        return False
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, timeout=300)
        done = subprocess.run(["apt-get", "install", "-y", "-q", *packages], env=env,
                              capture_output=True, timeout=900)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        if path := shutil.which(name):
            return path
    return None


def chromium_or_skip() -> str:
    """Path of a Chromium binary, installing Debian's ``chromium`` when root; else skip."""
    path = find_chromium() or (apt_install("chromium") and find_chromium())
    if not path:
        pytest.skip("Chromium not found and could not be installed: run "
                    "'apt-get install chromium' (Debian/Ubuntu) to run the browser tests")
    return path


def cjk_font_or_skip() -> None:
    """Make sure a CJK font is installed (``fonts-noto-cjk`` when root); else skip."""
    from voiceminer.report import charts

    def found() -> bool:
        charts.find_cjk_font.cache_clear()
        try:
            charts.find_cjk_font()
            return True
        except charts.MissingFontError:
            return False

    if found():
        return
    if apt_install("fonts-noto-cjk"):
        from matplotlib import font_manager

        font_manager.fontManager = font_manager._load_fontmanager(try_read_cache=False)
        if found():
            return
    pytest.skip("no CJK font: run 'apt-get install fonts-noto-cjk' to draw charts with Chinese")
