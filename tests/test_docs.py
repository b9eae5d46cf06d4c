"""The generated documentation is current: each addon's README.rst and Apps page
(static/description/index.html) match its readme/ fragments and screenshots, and every
picture the top-level README's tour shows exists. (Files only: needs no server.)"""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_addon_readmes_are_rendered():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "readme.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_apps_page_shows_the_screenshots():
    for manifest in ROOT.glob("*/__manifest__.py"):
        description = manifest.parent / "static" / "description"
        page = (description / "index.html").read_text()
        for shot in description.glob("screenshot_*.png"):
            assert f'src="{shot.name}"' in page, f"{shot} is not on {manifest.parent.name}'s page"


def test_readme_tour_pictures_exist():
    readme = (ROOT / "README.md").read_text()
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+\.png)\)", readme)
    assert pictures, "the README's tour shows no screenshots"
    missing = [p for p in pictures if not (ROOT / p).is_file()]
    assert not missing, f"README.md shows pictures that do not exist: {missing}"
