// Helpers for driving the Yichuang window through WebDriver (webdriverio). Everything is found by
// `data-testid`; every wait is explicit and short.

/** GB 11643 check character for the first 17 digits of a resident ID number. */
export function idCheckChar(first17) {
  if (!/^\d{17}$/.test(first17)) throw new Error(`need 17 digits, got ${first17}`);
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * weights[i];
  return "10X98765432"[sum % 11];
}

/** A valid 18-character resident ID number from its first 17 digits. */
export function idWithCheck(first17) {
  return first17 + idCheckChar(first17);
}

export const WAIT = { short: 5000, long: 15000 };

export function byId(browser, id) {
  return browser.$(`[data-testid="${id}"]`);
}

/** Waits for the app's shell to be on screen (the intake page is the default). */
export async function waitForApp(browser) {
  const sel = await byId(browser, "item-select");
  await sel.waitForDisplayed({ timeout: WAIT.long, timeoutMsg: "the intake page did not appear" });
}

/**
 * Opens the 选择事项 select and clicks an option (the first one when `regNo` is not given).
 * Returns the chosen item's dept_ql_reg_no.
 */
export async function pickItem(browser, regNo) {
  // On a loaded machine a click can land while the list is still moving into place and choose
  // nothing: try once more before giving up.
  for (let attempt = 1; ; attempt++) {
    const wrapper = await browser.$('[data-testid="item-select"] .el-select__wrapper');
    await wrapper.waitForClickable({ timeout: WAIT.short });
    await wrapper.click();
    const option = regNo
      ? await byId(browser, `item-option-${regNo}`)
      : await browser.$('.item-select-popper [data-testid^="item-option-"]');
    // The catalog loads asynchronously at start, so allow for that here.
    await option.waitForDisplayed({ timeout: WAIT.long, timeoutMsg: "the item options did not show" });
    const testId = await option.getAttribute("data-testid");
    // A click while the list still slides open (or scrolls to the option) lands on whichever
    // option is under the pointer then: bring it into view and let the list settle first.
    await option.scrollIntoView({ block: "center" });
    await browser.pause(300);
    await option.click();
    const chosen = testId.slice("item-option-".length);
    try {
      await byId(browser, "item-info").waitForDisplayed({
        timeout: WAIT.long,
        timeoutMsg: "the item info block did not show",
      });
      // The item shown is the one asked for (a click that landed on another option is retried).
      let code = "";
      await browser.waitUntil(
        async () =>
          (code = String(
            await browser.execute(() => document.querySelector('[data-testid="item-code"]')?.textContent?.trim() ?? ""),
          )) === chosen,
        { timeout: WAIT.short, timeoutMsg: `chose ${code} instead of ${chosen}` },
      );
      return chosen;
    } catch (e) {
      if (attempt >= 3) throw e;
      if (await option.isDisplayed()) await browser.keys("Escape");
    }
  }
}

/**
 * Replaces an input's text. Typing goes through real key events; if the platform cannot type a
 * character (some IME-less setups drop CJK), the value is set the way a paste would.
 */
export async function typeInto(browser, id, text) {
  const el = await byId(browser, id);
  await el.waitForDisplayed({ timeout: WAIT.short });
  await el.click();
  await el.clearValue();
  await el.setValue(text);
  if ((await el.getValue()) !== text) {
    await browser.execute(
      (sel, value) => {
        const input = document.querySelector(sel);
        input.value = value;
        input.dispatchEvent(new Event("input", { bubbles: true }));
      },
      `[data-testid="${id}"]`,
      text,
    );
  }
  const got = await el.getValue();
  if (got !== text) throw new Error(`could not type into ${id}: got ${JSON.stringify(got)}`);
}

export async function valueOf(browser, id) {
  return (await byId(browser, id)).getValue();
}

/** The `no` of every material ticked as received. */
export async function tickedMaterials(browser) {
  return browser.execute(() =>
    Array.from(document.querySelectorAll('[data-testid^="material-check-"]'))
      .filter((el) => el.classList.contains("is-checked"))
      .map((el) => el.getAttribute("data-testid").slice("material-check-".length)),
  );
}

/** Waits until the error element of `field` is shown, and returns its text. */
export async function fieldError(browser, field, timeout = WAIT.short) {
  const el = await byId(browser, `field-error-${field}`);
  await el.waitForDisplayed({ timeout, timeoutMsg: `no error was shown for ${field}` });
  let text = "";
  await browser.waitUntil(async () => (text = (await el.getText()).trim()) !== "", {
    timeout,
    timeoutMsg: `the error of ${field} stayed empty`,
  });
  return text;
}

/** Clicks an element once it can be clicked. */
export async function clickId(browser, id, timeout = WAIT.short) {
  const el = await byId(browser, id);
  await el.waitForClickable({ timeout, timeoutMsg: `${id} could not be clicked` });
  await el.click();
}

/** Waits until the element's text (trimmed) is `expected`, and returns it. */
export async function waitText(browser, id, expected, timeout = WAIT.long) {
  const el = await byId(browser, id);
  await el.waitForDisplayed({ timeout, timeoutMsg: `${id} did not show` });
  let text = "";
  await browser.waitUntil(async () => (text = (await el.getText()).trim()) === expected, {
    timeout,
    timeoutMsg: `${id} should read ${JSON.stringify(expected)}, it reads ${JSON.stringify(text)}`,
  });
  return text;
}

/** Whether an Element Plus checkbox (found by its data-testid) is ticked. */
export async function isChecked(browser, id) {
  return browser.execute(
    (sel) => document.querySelector(sel)?.classList.contains("is-checked") ?? false,
    `[data-testid="${id}"]`,
  );
}

/** Waits until the notice preview has rendered every page (or throws its error). */
export async function waitForPreview(browser) {
  const preview = await byId(browser, "notice-preview");
  await preview.waitForDisplayed({ timeout: WAIT.short, timeoutMsg: "the notice preview did not open" });
  await browser.waitUntil(
    async () => {
      if (await byId(browser, "notice-error").isExisting()) {
        throw new Error(`notice preview failed: ${await byId(browser, "notice-error").getText()}`);
      }
      return Number(await preview.getAttribute("data-pages")) > 0;
    },
    { timeout: WAIT.long, interval: 200, timeoutMsg: "the notice preview rendered no page" },
  );
  await browser.pause(300); // let the dialog's opening animation end, for the screenshot
  return preview;
}
