"""Screenshots of the real web app for the README (docs/screens/*.png).

Starts `sipdocs serve` on a free loopback port with a fresh data folder, walks a case with
the fictitious sample data (Alex Testsson) in Debian's chromium, and saves one PNG per step.
Run: .venv/bin/python scripts/web_screens.py [OUTDIR]
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.webserver import Server  # noqa: E402

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--lang=sv-SE"]


def main(outdir: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    outdir.mkdir(parents=True, exist_ok=True)
    sample = json.loads((REPO / "samples" / "invitation.json").read_text(encoding="utf-8"))
    with Server(Path(tempfile.mkdtemp()) / "data", token="screens") as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1000, "height": 760}, locale="sv-SE")
        page.goto(f"{server.url}/?token={server.token}")
        page.get_by_role("button", name="Skapa ärende").click()
        page.wait_for_url("**/cases/*")
        case_url = page.url
        page.get_by_role("row", name="Kallelse till SIP-möte").get_by_role("button", name="Skapa tom").click()
        page.wait_for_url("**/docs/invitation")
        # fill the kallelse through the API-free path a convener takes: the form, saved by the button
        from urllib.parse import urlencode

        import httpx2 as httpx

        from tests.test_web_pages import flat

        cookies = {c["name"]: c["value"] for c in page.context.cookies()}
        csrf = page.input_value("input[name=_csrf]")
        draft = dict(sample)
        draft["child"] = {**sample["child"], "personal_number": "20170101-2394"}  # one mistake to show
        body = urlencode([("_csrf", csrf), ("_base_version", "1"), *flat(draft)]).encode()
        httpx.post(f"{page.url}", content=body, cookies=cookies,
                   headers={"content-type": "application/x-www-form-urlencoded"})
        page.goto(page.url + "?checked=1")
        expect(page.locator("#error-summary")).to_be_visible()
        page.screenshot(path=outdir / "2-kallelse-fel.png")
        page.locator("#f-child-personal_number").scroll_into_view_if_needed()
        page.evaluate("window.scrollBy(0, -260)")
        page.screenshot(path=outdir / "3-fel-vid-faltet.png")
        page.fill("#f-child-personal_number", "20170101-2393")
        expect(page.locator("#ok-summary")).to_be_visible(timeout=15_000)
        page.locator("#outputs").scroll_into_view_if_needed()
        page.screenshot(path=outdir / "4-klar-att-ladda-ner.png")
        page.goto(case_url)
        page.get_by_role("row", name="Samtycke till SIP och informationsutbyte").get_by_role(
            "button", name="Skapa från ärendet").click()
        page.wait_for_url("**/docs/consent")
        page.locator("#f-parties").scroll_into_view_if_needed()
        page.screenshot(path=outdir / "5-samtycke-forifyllt.png")
        page.goto(case_url)
        page.screenshot(path=outdir / "1-arendet.png")
        browser.close()
    for png in sorted(outdir.glob("*.png")):
        print(png, png.stat().st_size)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs" / "screens")
