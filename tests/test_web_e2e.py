"""End to end in a real browser (issue 18, "How to know"): Playwright driving Debian's chromium
against a real `sipdocs serve`, with axe-core on every page type.

A convener signs in, creates a case, fills a kallelse by keyboard, makes and fixes an inline
error, previews and downloads the PDF (its text is checked with pdftotext) and the .ics (parsed
with icalendar), then makes the samtycke and the plan from the case, prefilled.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

pytest.importorskip("playwright")
pytest.importorskip("starlette")

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists() or not shutil.which("pdftotext"),
                                reason="needs Debian's chromium (make sysdeps-test) and poppler-utils")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from .webserver import Server

    with Server(tmp_path_factory.mktemp("e2e") / "data") as s:
        yield s


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(locale="sv-SE", accept_downloads=True)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{server.url}/?token={server.token}")
    yield page
    # no request ever left the server, and nothing broke (CSP violations are console errors)
    assert all(url.startswith(server.url) for url in requests), [u for u in requests if not u.startswith(server.url)]
    assert errors == [], "\n".join(errors)
    context.close()


def axe_clean(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def focus_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def type_into(page, field_id: str, text: str) -> None:
    page.focus(f"#{field_id}")
    page.keyboard.type(text)


def wait_saved(page) -> None:
    import re

    from playwright.sync_api import expect

    page.wait_for_timeout(900)  # the autosave's debounce
    expect(page.locator("#save-status")).to_contain_text("Sparad", timeout=15_000)
    expect(page.locator("form.doc-form")).not_to_have_class(re.compile("htmx-request"), timeout=15_000)


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def test_a_convener_makes_a_case_from_kallelse_to_plan(page, server, tmp_path):
    from icalendar import Calendar
    from playwright.sync_api import expect

    expect(page).to_have_title("Ärenden – sipdocs")
    assert "token" not in page.url
    axe_clean(page)

    # create a case with the keyboard: the skip link first, then to the button
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.get_by_role("button", name="Skapa ärende").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/cases/*")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ärende")
    axe_clean(page)
    page.get_by_role("row", name="Kallelse till SIP-möte").get_by_role("button", name="Skapa tom").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/docs/invitation")
    axe_clean(page)

    # fill the kallelse by keyboard (dates and times through fill: the date picker is the browser's)
    page.fill("#f-document_date", "2026-04-20")
    type_into(page, "f-convener-name", "Kim Kurator")
    page.keyboard.press("Tab")
    assert focus_id(page) == "f-convener-title"
    page.keyboard.press("Tab")
    page.keyboard.type("Testskolan")
    assert page.input_value("#f-convener-organisation") == "Testskolan"
    type_into(page, "f-child-name", "Alex Testsson")
    page.keyboard.press("Tab")
    assert focus_id(page) == "f-child-personal_number"
    page.keyboard.type("20170101-2394")  # wrong check digit
    wait_saved(page)
    expect(page.locator("#err-child-personal_number")).to_contain_text("personnummer", timeout=15_000)
    expect(page.locator("#error-summary a[href='#f-child-personal_number']")).to_have_count(1)
    axe_clean(page)  # the form with errors next to the fields
    # fix it
    page.focus("#f-child-personal_number")
    page.keyboard.press("End")
    page.keyboard.press("Backspace")
    page.keyboard.type("3")
    wait_saved(page)
    expect(page.locator("#err-child-personal_number")).to_be_empty(timeout=15_000)

    # rows: add a guardian with the keyboard (full page post, focus lands in the new row)
    page.get_by_role("button", name="Lägg till: Vårdnadshavare").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**#f-guardians-0")
    type_into(page, "f-guardians-0-name", "Robin Testsson")
    page.fill("#f-meeting-date", "2026-05-12")
    page.fill("#f-meeting-start_time", "13:00")
    page.fill("#f-meeting-end_time", "15:00")
    page.focus("#f-meeting-form--in_person")
    page.keyboard.press("Space")
    type_into(page, "f-meeting-location", "Testskolan, rum 2")
    type_into(page, "f-purpose", "Gemensam plan för skolgången.")
    page.focus("#f-child_participation-mode--part")
    page.keyboard.press("Space")
    page.focus("#f-consent-obtained--true")
    page.keyboard.press("Space")
    wait_saved(page)
    for i, (org, kind) in enumerate((("Testskolan", "SKOLA"), ("BUP Testregionen", "BUP"))):
        page.get_by_role("button", name="Lägg till: Kallade och inbjudna").focus()
        page.keyboard.press("Enter")
        page.wait_for_url(f"**#f-invitees-{i}")
        type_into(page, f"f-invitees-{i}-organisation", org)
        page.select_option(f"#f-invitees-{i}-actor_kind", kind)
        wait_saved(page)
    expect(page.locator("#ok-summary")).to_contain_text("Inga fel", timeout=15_000)
    axe_clean(page)  # the form without errors

    # preview: the PDF itself
    preview = page.get_by_role("link", name="Förhandsgranska PDF").get_attribute("href")
    response = page.request.get(server.url + preview)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    (tmp_path / "preview.pdf").write_bytes(response.body())
    assert "Alex Testsson" in pdf_text(tmp_path / "preview.pdf")
    # download the PDF and check its text
    with page.expect_download() as info:
        page.get_by_role("link", name="Ladda ner PDF").click()
    info.value.save_as(tmp_path / "kallelse.pdf")
    text = pdf_text(tmp_path / "kallelse.pdf")
    assert "Kallelse" in text and "Alex Testsson" in text and "Testskolan, rum 2" in text
    assert "Alex" not in info.value.suggested_filename
    # the meeting as a calendar file
    with page.expect_download() as info:
        page.get_by_role("link", name="Lägg in mötet i kalendern (.ics)").click()
    info.value.save_as(tmp_path / "mote.ics")
    event = Calendar.from_ical((tmp_path / "mote.ics").read_bytes()).walk("VEVENT")[0]
    assert event.decoded("dtstart").isoformat() == "2026-05-12T13:00:00+02:00"
    assert str(event["location"]) == "Testskolan, rum 2" and "Alex" not in str(event.to_ical())

    # the samtycke and the plan, prefilled from the case
    page.get_by_role("link", name="Tillbaka till ärendet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ärende: Alex Testsson")
    page.get_by_role("row", name="Samtycke till SIP och informationsutbyte").get_by_role(
        "button", name="Skapa från ärendet").click()
    page.wait_for_url("**/docs/consent")
    assert page.input_value("#f-child-name") == "Alex Testsson"
    assert page.input_value("#f-parties-1-organisation") == "BUP Testregionen"
    assert page.input_value("#f-consenting_persons-0-name") == "Robin Testsson"
    page.get_by_role("link", name="Tillbaka till ärendet").click()
    page.get_by_role("row", name="Samordnad individuell plan (SIP)").get_by_role(
        "button", name="Skapa från ärendet").click()
    page.wait_for_url("**/docs/plan")
    assert page.input_value("#f-attendees-0-organisation") == "Testskolan"
    assert page.input_value("#f-meeting-location") == "Testskolan, rum 2"
    assert page.is_checked("#f-consent-obtained--true")
    # the title never names the child
    assert "Alex" not in page.title()


def test_two_tabs_get_a_conflict(browser, server):
    from playwright.sync_api import expect

    context = browser.new_context(locale="sv-SE")
    first = context.new_page()
    first.goto(f"{server.url}/?token={server.token}")
    first.get_by_role("button", name="Skapa ärende").click()
    first.get_by_role("row", name="Avslut av SIP").get_by_role("button", name="Skapa tom").click()
    first.wait_for_url("**/docs/closure")
    second = context.new_page()
    second.goto(first.url)
    type_into(first, "f-reason_text", "Från första fliken")
    wait_saved(first)
    type_into(second, "f-reason_text", "Från andra fliken")
    expect(second.locator("#save-status")).to_contain_text("har ändrats någon annanstans", timeout=15_000)
    second.get_by_role("link", name="Öppna den senaste versionen").click()
    assert second.input_value("#f-reason_text") == "Från första fliken"
    context.close()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_other_page_types_pass_axe(browser, server, lang):
    from playwright.sync_api import expect

    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    page.goto(f"{server.url}/")  # no session: the sign-in page
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")
    axe_clean(page)
    page.goto(f"{server.url}/?token={server.token}")
    if lang == "en":
        page.get_by_role("button", name="English").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Cases")
        assert page.evaluate("document.documentElement.lang") == "en"
    axe_clean(page)
    page.goto(f"{server.url}/cases/no-such-case")
    axe_clean(page)  # 404
    page.goto(f"{server.url}/")
    page.get_by_role("button", name="Create case" if lang == "en" else "Skapa ärende").click()
    page.wait_for_url("**/cases/*")
    page.get_by_role("link", name="Delete the case" if lang == "en" else "Radera ärendet").click()
    axe_clean(page)  # the confirmation
    page.get_by_role("button", name="Yes, delete the case" if lang == "en" else "Ja, radera ärendet").click()
    expect(page.locator("main")).to_contain_text("deleted" if lang == "en" else "raderat")
    axe_clean(page)
    page.goto(f"{server.url}/")
    page.get_by_role("button", name="Create case" if lang == "en" else "Skapa ärende").click()
    page.wait_for_url("**/cases/*")
    page.get_by_role("row", name="SIP follow-up" if lang == "en" else "Uppföljning av SIP").get_by_role(
        "button", name="Create empty" if lang == "en" else "Skapa tom").click()
    page.get_by_role("button", name="Save and check" if lang == "en" else "Spara och kontrollera").first.click()
    expect(page.locator("#error-summary")).to_be_focused()  # GOV.UK pattern: focus on the summary
    axe_clean(page)
    # visible focus: the focused link gets an outline or box shadow
    page.locator("#error-summary a").first.focus()
    style = page.evaluate("getComputedStyle(document.activeElement).outlineStyle + ' ' + "
                          "getComputedStyle(document.activeElement).boxShadow")
    assert style.split()[0] != "none" or "rgb" in style
    context.close()


def test_the_basic_flow_works_without_javascript(browser, server, tmp_path):
    """No JavaScript: plain forms, full page loads; save, see the errors, fix, download."""
    from playwright.sync_api import expect

    context = browser.new_context(locale="sv-SE", java_script_enabled=False, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{server.url}/?token={server.token}")
    page.get_by_role("button", name="Skapa ärende").click()
    page.get_by_role("row", name="Samtycke till SIP och informationsutbyte").get_by_role(
        "button", name="Skapa tom").click()
    page.wait_for_url("**/docs/consent")
    page.fill("#f-document_date", "2026-04-15")
    page.fill("#f-child-name", "Alex Testsson")
    page.fill("#f-child-personal_number", "20170101-2393")
    page.check("#f-purposes--establish_sip")
    page.get_by_role("button", name="Lägg till: Verksamheter som får utbyta uppgifter").click()
    page.fill("#f-parties-0-organisation", "Testskolan")
    page.get_by_role("button", name="Lägg till: Verksamheter som får utbyta uppgifter").click()
    page.fill("#f-parties-1-organisation", "BUP Testregionen")
    page.fill("#f-information_covered", "Skolsituation och hälsa.")
    page.fill("#f-valid_from", "2026-04-15")
    page.check("#f-form--written")
    page.get_by_role("button", name="Spara och kontrollera").first.click()
    expect(page.locator("#error-summary")).to_contain_text("Samtyckande personer")
    page.get_by_role("button", name="Lägg till: Samtyckande personer").click()
    page.fill("#f-consenting_persons-0-name", "Robin Testsson")
    page.check("#f-consenting_persons-0-relation--guardian")
    page.get_by_role("button", name="Spara och kontrollera").first.click()
    expect(page.locator("#ok-summary")).to_contain_text("Inga fel")
    with page.expect_download() as info:
        page.get_by_role("link", name="Ladda ner PDF").click()
    info.value.save_as(tmp_path / "samtycke.pdf")
    assert "Testskolan" in pdf_text(tmp_path / "samtycke.pdf")
    context.close()
