// Opens Brook's dashboard in headless Chromium and reports what a person would see, as one JSON line on stdout:
// console errors and warnings, failed requests and page errors; every panel's rows; each query's chart data at two
// moments a few seconds apart; and a full-page screenshot. DashboardIT runs it and asserts on the report.
//
//   node dashboard-check.js URL SCREENSHOT.png CHROMIUM [SECONDS_BETWEEN_READINGS]
"use strict";

const { chromium } = require("playwright-core");

const [url, screenshot, executablePath, between = "6"] = process.argv.slice(2);
const READY_TIMEOUT_MS = 60000;

function readPanels() {
  const rows = (selector, key) => [...document.querySelectorAll(selector)].map(row => ({
    key: row.getAttribute(key),
    cells: [...row.querySelectorAll("td")].map(cell => cell.innerText.trim()),
  }));
  return {
    status: document.getElementById("status").textContent,
    topics: rows("#topics tbody tr[data-topic]", "data-topic"),
    groups: rows("#groups tbody tr[data-group]", "data-group"),
    push: rows("#push tbody tr[data-subscription]", "data-subscription"),
    queries: [...document.querySelectorAll("#queries .query")].map(box => ({
      name: box.getAttribute("data-query"),
      heading: box.querySelector("h3").textContent,
      facts: box.querySelector(".muted").textContent,
      points: Number(box.getAttribute("data-points") || 0),
      lastBatch: Number(box.getAttribute("data-last-batch") || -1),
      charts: box.querySelectorAll(".uplot").length,
      canvases: box.querySelectorAll("canvas").length,
    })),
    tailTopic: document.getElementById("tail-topic").textContent,
    tailLines: document.getElementById("tail").textContent.split("\n").filter(line => line.length > 0).length,
  };
}

function panelsFilled() {
  return document.querySelectorAll("#topics tbody tr[data-topic]").length > 0
      && document.querySelectorAll("#groups tbody tr[data-group]").length > 0
      && document.querySelectorAll("#push tbody tr[data-subscription]").length > 0
      && [...document.querySelectorAll("#queries .query")].some(box => Number(box.getAttribute("data-points")) > 1)
      && document.getElementById("tail").textContent.length > 0;
}

async function main() {
  const browser = await chromium.launch({executablePath, args: ["--no-sandbox", "--disable-dev-shm-usage"]});
  const problems = [];
  try {
    const page = await browser.newPage({viewport: {width: 1400, height: 1000}});
    page.on("console", message => {
      if (message.type() === "error" || message.type() === "warning") {
        problems.push(message.type() + ": " + message.text());
      }
    });
    page.on("pageerror", error => problems.push("page error: " + error.message));
    page.on("requestfailed", request => {
      // The live tail's stream is cut when the browser closes; anything else failing is a problem.
      problems.push("request failed: " + request.url() + " (" + (request.failure() || {}).errorText + ")");
    });
    page.on("response", response => {
      if (response.status() >= 400) {
        problems.push("HTTP " + response.status() + ": " + response.url());
      }
    });
    await page.goto(url, {waitUntil: "load"});
    let ready = true;
    try {
      await page.waitForFunction(panelsFilled, null, {timeout: READY_TIMEOUT_MS, polling: 200});
    } catch (error) {
      ready = false;
    }
    const first = await page.evaluate(readPanels);
    await page.waitForTimeout(Number(between) * 1000);
    const second = await page.evaluate(readPanels);
    await page.screenshot({path: screenshot, fullPage: true});
    process.stdout.write(JSON.stringify({ready, problems: [...problems], first, second}) + "\n");
  } finally {
    await browser.close();
  }
}

main().catch(error => {
  process.stderr.write((error && error.stack) || String(error));
  process.exit(1);
});
