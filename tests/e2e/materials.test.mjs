// End-to-end: the clerk imports a scanned page into a material of a received case in the real
// window; the page is cleaned up, checked and stored, its thumbnail shows, and a page that is
// not A4 or A3 is refused with the reason. How to run: see harness.mjs.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";

import { Desk, checkEnv, screenshot } from "./harness.mjs";
import { byId, typeInto, waitText, WAIT } from "./ui.mjs";

checkEnv(import.meta.filename);
const desk = new Desk(4472);
let browser = null;
let projectNo = "";
let material = null;

const ROOT = path.resolve(import.meta.dirname, "../..");

/** A page drawn by ImageMagick: `size` pixels at `dpi`, with a few lines of "text". */
function page(file, size, dpi) {
  execFileSync("convert", [
    "-size", size, "xc:white", "-units", "PixelsPerInch", "-density", String(dpi),
    "-fill", "black", "-draw", "rectangle 200,300 2100,330", "-draw", "rectangle 200,400 1900,430",
    "-draw", "rectangle 200,500 2000,530", "-quality", "85", file,
  ]);
  return file;
}

describe("scanned materials in the window", { timeout: 180000 }, () => {
  before(async () => {
    const out = desk.cli("case", "receive", "--json", path.join(ROOT, "assets/examples/accept.json"));
    projectNo = out.trim().split("\n").pop();
    material = desk.showCase(projectNo).materials[0];
    await desk.start();
    browser = await desk.open();
    await typeInto(browser, "recall-input", projectNo);
    await browser.keys("Enter");
    await waitText(browser, "detail-project-no", projectNo);
  });

  after(async () => {
    await desk.stop();
  });

  test("an A4 scan is stored and shown; a small photo is refused with the reason", async () => {
    const good = page(path.join(desk.workDir, "scan.jpg"), "2480x3508", 300);
    const small = page(path.join(desk.workDir, "photo.jpg"), "800x600", 300);
    // The file input stays hidden behind 导入文件 (whose native chooser WebDriver cannot drive):
    // show it, and hand it the file as a chooser would.
    const input = await byId(browser, `material-file-input-${material.no}`);
    await browser.execute((el) => {
      el.style.display = "block";
    }, input);
    await input.addValue(good);
    const thumb = await byId(browser, `material-thumb-${material.no}-1`);
    await thumb.waitForDisplayed({ timeout: WAIT.long, timeoutMsg: "no thumbnail after the import" });
    const row = await byId(browser, `material-row-${material.no}`);
    assert.match(await row.getText(), /扫描件 1 页/);
    const pages = JSON.parse(desk.cli("material", "list", projectNo, "--json"));
    assert.equal(pages.length, 1);
    assert.equal(pages[0].paper, "A4");
    assert.equal(pages[0].source, "scan.jpg");
    screenshot("material-attached.png");

    await input.addValue(small);
    const err = await byId(browser, "material-pages-error");
    await err.waitForDisplayed({ timeout: WAIT.long, timeoutMsg: "the refusal was not shown" });
    const text = await err.getText();
    assert.match(text, /photo\.jpg/);
    assert.match(text, /纸张尺寸/);
    assert.equal(JSON.parse(desk.cli("material", "list", projectNo, "--json")).length, 1);
  });
});
