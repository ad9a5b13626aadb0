from tests.browser.test_workspace import _sign_in_manager, _add_agency_with_htmx

def test_dbg(page, browser_world):
    msgs = []
    page.on("console", lambda m: msgs.append(m.text))
    page.on("pageerror", lambda e: msgs.append("PAGEERROR " + str(e)))
    _sign_in_manager(page, browser_world)
    page.goto(browser_world.url("sutton", "/workspace/agencies/"))
    page.evaluate("""document.body.addEventListener('htmx:afterSwap', e => { window.__swapTarget = e.detail.target.isConnected; window.__swapElt = e.detail.elt && e.detail.elt.isConnected; })""")
    _add_agency_with_htmx(page, "")
    page.wait_for_timeout(500)
    print("summary attrs", page.evaluate("Array.from(document.querySelector('.govuk-error-summary').attributes).map(a=>a.name)"))
    print("active", page.evaluate("document.activeElement.outerHTML.slice(0,120)"))
    print("swap target connected", page.evaluate("window.__swapTarget"), page.evaluate("window.__swapElt"))
    print("version", page.evaluate("htmx.version"))
    print(msgs)
    page.goto(browser_world.url("sutton", "/workspace/api-keys/"))
    page.get_by_role("button", name="Issue key").click()
    print("full page summary attrs", page.evaluate("Array.from(document.querySelector('.govuk-error-summary').attributes).map(a=>a.name)"))
    print("active", page.evaluate("document.activeElement.outerHTML.slice(0,120)"))
