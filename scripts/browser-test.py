"""The Python half of scripts/browser-test: drives headless Chromium against a running
`trawl serve` (its base URL is the first argument; the second, if not empty, is a folder for
screenshots) and fails on the first check that does not hold."""
import os
import shutil
import sys
from urllib.parse import quote

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.support.ui import WebDriverWait

base, shots = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "")
checks = 0


def check(condition, message):
    global checks
    if not condition:
        print(f"FAIL: {message}", file=sys.stderr)
        sys.exit(1)
    checks += 1
    print(f"ok: {message}")


options = webdriver.ChromeOptions()
options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--window-size=1200,900", "--lang=en-US"]:
    options.add_argument(flag)
driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"),
                          options=options)
driver.set_page_load_timeout(20)


def viewport(width, height=800):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500})


def shot(name):
    if shots:
        os.makedirs(shots, exist_ok=True)
        driver.save_screenshot(os.path.join(shots, name))


def navigating(action):
    """Runs `action` (a click or Enter that loads a page) and waits until the new page has
    replaced the old, so nothing is read from the page being left."""
    old = driver.find_element(By.TAG_NAME, "html")
    action()

    def left(_):
        # Chromium reports an element of a page being torn down either as stale or, mid-way,
        # as "Node with given id does not belong to the document"; both mean the old page is gone.
        try:
            old.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return True
            raise

    WebDriverWait(driver, 10).until(left)


def texts(selector):
    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, selector)]


def no_horizontal_scroll(page):
    wide = driver.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    check(wide[0] <= wide[1], f"{page}: no horizontal scrolling at 360 px (scrollWidth {wide[0]}, width {wide[1]})")


try:
    viewport(1200, 900)
    # Search: type a query and press Enter.
    driver.get(base)
    check(driver.find_element(By.CSS_SELECTOR, "form[role=search] input#q") is not None, "search box present")
    box = driver.find_element(By.ID, "q")
    navigating(lambda: box.send_keys("oil sanctions", Keys.ENTER))
    count = driver.find_element(By.ID, "result-count").text
    check("matching document" in count, f"search shows a result count ({count!r})")
    titles = texts(".result h2 a")
    check(len(titles) >= 2, f"search lists results ({len(titles)})")
    check(len(driver.find_elements(By.CSS_SELECTOR, ".snippet mark")) > 0, "snippets have marked words")
    check(all(texts(".result .meta time")), "every result shows its date")
    check(len(driver.find_elements(By.CSS_SELECTOR, "aside.facets a[data-facet=year]")) > 0, "facet counts shown")
    shot("results.png")

    # Open the first result: the whole text, every match marked, "next match".
    navigating(driver.find_element(By.CSS_SELECTOR, ".result h2 a").click)
    check("/doc?" in driver.current_url, "clicking a result opens the document page")
    marks = driver.find_elements(By.CSS_SELECTOR, "#body mark")
    check(len(marks) >= 2, f"the document's matches are marked ({len(marks)})")
    check(all(m.text.lower().startswith(("oil", "sanction")) for m in marks), "marks are the query's words")
    driver.find_element(By.ID, "next-match").click()
    driver.find_element(By.ID, "next-match").click()
    current = driver.find_elements(By.CSS_SELECTOR, "#body mark.current")
    check(len(current) == 1 and current[0] == marks[1], "next match moves to the second match")
    check(driver.find_element(By.ID, "match-count").text.startswith("Match 2 of"), "next match announces its number")
    shot("document.png")

    # Paging: every document of 2025, ten a page.
    driver.get(base + "?since=2025")
    check("showing 1–10" in driver.find_element(By.ID, "result-count").text, "listing shows the first page")
    first_page = texts(".result h2 a")
    navigating(driver.find_element(By.CSS_SELECTOR, "a[rel=next]").click)
    check("showing 11–20" in driver.find_element(By.ID, "result-count").text, "next page shows 11–20")
    check(not set(first_page) & set(texts(".result h2 a")), "the second page holds other documents")
    navigating(driver.find_element(By.CSS_SELECTOR, "a[rel=prev]").click)
    check(texts(".result h2 a") == first_page, "previous page returns to the first")

    # Filter by source: click a source's count.
    driver.get(base + "?q=" + quote("oil OR sanctions OR said"))
    link = driver.find_element(By.CSS_SELECTOR, "aside.facets a[data-facet=source]")
    value = link.find_element(By.CSS_SELECTOR, ".value").text
    number = int(link.find_element(By.CSS_SELECTOR, ".count").text)
    navigating(link.click)
    check(f"{number} matching document" in driver.find_element(By.ID, "result-count").text,
          f"filtering by source {value!r} shows its {number} documents")
    check(set(texts(".result .meta .source")) == {value}, "every result has that source")
    check(value in driver.find_element(By.CSS_SELECTOR, ".active-filters").text, "the active filter is shown")

    # Filter by date: From/To fields.
    driver.get(base + "?q=said")
    all_dates = texts(".result .meta time")
    driver.find_element(By.ID, "since").send_keys("2025-11-12")
    until = driver.find_element(By.ID, "until")
    navigating(lambda: until.send_keys("2025-11-15", Keys.ENTER))
    dates = texts(".result .meta time")
    check(dates and all("2025-11-12" <= d <= "2025-11-15" for d in dates),
          f"date filter keeps 2025-11-12 to 2025-11-15 ({sorted(set(dates))})")
    check(set(all_dates) != set(dates), "the date filter changed the results")

    # The hostile-markup fixture renders as text and runs nothing.
    driver.get(base + "?q=pipeline")
    check(driver.execute_script("return typeof window.__xss") == "undefined", "results page: no injected script ran")
    title = driver.find_element(By.CSS_SELECTOR, ".result h2 a").text
    check("<script>" in title and "<img" in title, "the hostile title shows as text")
    navigating(driver.find_element(By.CSS_SELECTOR, ".result h2 a").click)
    check(driver.execute_script("return typeof window.__xss") == "undefined", "document page: no injected script ran")
    check(not driver.find_elements(By.CSS_SELECTOR, "#main img, a[href^='javascript']"),
          "no image and no javascript: link on the document page")
    check("javascript:" in driver.find_element(By.CSS_SELECTOR, "dl.meta").text, "the javascript: URL shows as text")
    shot("hostile-markup.png")

    # 360 px wide: no horizontal scrolling on either page.
    viewport(360, 780)
    driver.get(base + "?q=" + quote("oil sanctions"))
    no_horizontal_scroll("results page")
    shot("results-360.png")
    navigating(driver.find_element(By.CSS_SELECTOR, ".result h2 a").click)
    no_horizontal_scroll("document page")
    shot("document-360.png")

    # Keyboard only: Tab reaches the skip link first, then the search box; Enter searches.
    viewport(1200, 900)
    driver.get(base)
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    active = driver.switch_to.active_element
    check(active.get_attribute("class") == "skip", "the first Tab reaches the skip link")
    active.send_keys(Keys.TAB)
    active = driver.switch_to.active_element
    active.send_keys(Keys.TAB)
    active = driver.switch_to.active_element
    check(active.get_attribute("id") == "q", "Tab then reaches the search box")
    navigating(lambda: active.send_keys("grain corridor", Keys.ENTER))
    check(len(texts(".result h2 a")) >= 1, "Enter in the search box searches")
    landmarks = driver.execute_script(
        "return ['main','header','footer','form[role=search]','nav[aria-label]'].map(s => !!document.querySelector(s))")
    check(all(landmarks[:4]), "landmarks: header, search form, main, footer")
    check(driver.find_element(By.CSS_SELECTOR, "label[for=q]") is not None, "the search box has a label")
finally:
    driver.quit()
print(f"{checks} browser checks passed")
