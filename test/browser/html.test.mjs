// Browser tests of kubevet's HTML pages, in Debian's headless Chromium
// driven by playwright-core. go test ./cmd/kubevet runs them
// (TestHTMLInBrowser) with the pages it generated:
//
//   KUBEVET_REPORT_HTML     the report of examples/bad-app (-o html)
//   KUBEVET_REPORT_JSON     the same run as JSON, for the expected figures
//   KUBEVET_CHECKLIST_HTML  the checklist of examples/bad-app (optional)
//   KUBEVET_SCREENSHOTS     folder for the screenshots
//   CHROMIUM                the browser (default /usr/bin/chromium)
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const reportFile = process.env.KUBEVET_REPORT_HTML;
const reportJSON = process.env.KUBEVET_REPORT_JSON;
const checklistFile = process.env.KUBEVET_CHECKLIST_HTML;
const shots = process.env.KUBEVET_SCREENSHOTS || tmpdir();

let browser;
let profile;

before(async () => {
  assert.ok(reportFile && reportJSON, "KUBEVET_REPORT_HTML and KUBEVET_REPORT_JSON must be set (go test ./cmd/kubevet -run TestHTMLInBrowser sets them)");
  profile = mkdtempSync(join(tmpdir(), "kubevet-chromium-"));
  // launchPersistentContext gives Chromium a new empty profile folder;
  // the flags keep it from calling home on a machine without network.
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

// open loads a file and records every request the page makes.
async function open(file) {
  const page = await browser.newPage();
  const url = pathToFileURL(file).href;
  const requests = [];
  const errors = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await page.goto(url, { waitUntil: "load" });
  return { page, url, requests, errors };
}

async function visible(page, selector) {
  return page.$$eval(selector, (els) => els.filter((e) => e.offsetParent !== null).map((e) => ({
    sev: e.dataset.sev, ns: e.dataset.ns, check: e.dataset.check, cat: e.dataset.cat,
  })));
}

test("report: summary, filters, no network, screenshot", async () => {
  const want = JSON.parse(readFileSync(reportJSON, "utf8"));
  const { page, url, requests, errors } = await open(reportFile);

  // Summary numbers match the JSON report of the same run.
  const num = async (id) => Number(await page.textContent(`#${id}`));
  assert.equal(await num("count-error"), want.summary.findings.error);
  assert.equal(await num("count-warning"), want.summary.findings.warning);
  assert.equal(await num("count-info"), want.summary.findings.info);
  assert.equal(await num("count-total"), want.findings.length);
  assert.equal(await num("shown"), want.findings.length);
  assert.equal((await visible(page, "tr.finding")).length, want.findings.length);

  // Every namespace has a score between 0 and 100.
  const scores = await page.$$eval(".scores [data-score]", (els) => els.map((e) => Number(e.dataset.score)));
  assert.ok(scores.length > 0, "no namespace score");
  for (const s of scores) assert.ok(s >= 0 && s <= 100, `score ${s}`);

  await page.screenshot({ path: join(shots, "report-all.png"), fullPage: false });

  // Severity error: only errors remain, as many as the summary says.
  await page.check("input[name=sev][value=error]");
  let rows = await visible(page, "tr.finding");
  assert.equal(rows.length, want.summary.findings.error);
  assert.ok(rows.every((r) => r.sev === "error"), "a row that is not an error is visible");
  assert.equal(await num("shown"), rows.length);
  // Files without a visible finding are hidden.
  const files = await page.$$eval("section.file", (els) => els.map((e) => ({
    hidden: e.hidden, errors: e.querySelectorAll("tr.finding[data-sev=error]").length,
  })));
  assert.ok(files.every((f) => f.hidden === (f.errors === 0)), "file sections not hidden as expected");

  // Then a namespace: errors of that namespace only.
  const ns = "default";
  const nsErrors = want.findings.filter((f) => f.severity === "error" && (f.object.namespace || "") === ns).length;
  await page.selectOption("#filter-ns", ns);
  rows = await visible(page, "tr.finding");
  assert.equal(rows.length, nsErrors);
  assert.ok(rows.every((r) => r.sev === "error" && r.ns === ns));
  await page.screenshot({ path: join(shots, "report-errors-default.png"), fullPage: false });

  // A check, then the seed category of another one: nothing matches both.
  await page.check('input[name=sev][value=""]');
  await page.selectOption("#filter-ns", "");
  await page.selectOption("#filter-check", "image-tag");
  rows = await visible(page, "tr.finding");
  assert.equal(rows.length, want.findings.filter((f) => f.check === "image-tag").length);
  const cat = rows[0].cat;
  await page.selectOption("#filter-cat", cat);
  assert.equal((await visible(page, "tr.finding")).length, rows.length);

  // Clicking the warnings card filters too; Reset shows everything again.
  await page.selectOption("#filter-check", "");
  await page.selectOption("#filter-cat", "");
  await page.click("button.card.sev-warning");
  rows = await visible(page, "tr.finding");
  assert.equal(rows.length, want.summary.findings.warning);
  await page.click("#filter-reset");
  await page.waitForFunction((n) => document.getElementById("shown").textContent === String(n), want.findings.length);

  await page.screenshot({ path: join(shots, "report-full.png"), fullPage: true });
  assert.deepEqual(errors, [], "script errors");
  assert.deepEqual(requests, [url], "the page made requests other than its own file");
  await page.close();
});

test("checklist: no network, states shown, screenshot", { skip: !checklistFile && "KUBEVET_CHECKLIST_HTML not set" }, async () => {
  const { page, url, requests, errors } = await open(checklistFile);
  const items = await page.$$eval("tr.item", (els) => els.map((e) => e.dataset.status));
  assert.equal(items.length, 106, "every guide item is listed");
  const total = Number(await page.textContent("#cov-items"));
  assert.equal(total, 106);
  for (const s of ["passing", "failing", "attested", "not-applicable", "open"]) {
    const n = Number(await page.textContent(`#cov-${s}`));
    assert.equal(n, items.filter((x) => x === s).length, `coverage figure ${s}`);
  }
  await page.check("input[name=status][value=failing]");
  const shown = await page.$$eval("tr.item", (els) => els.filter((e) => e.offsetParent !== null).map((e) => e.dataset.status));
  assert.ok(shown.length > 0 && shown.every((s) => s === "failing"));
  await page.check('input[name=status][value=""]');
  await page.screenshot({ path: join(shots, "checklist.png"), fullPage: false });
  assert.deepEqual(errors, [], "script errors");
  assert.deepEqual(requests, [url], "the page made requests other than its own file");
  await page.close();
});
