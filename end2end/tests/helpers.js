const { expect } = require('@playwright/test');
const AxeBuilder = require('@axe-core/playwright').default;

const jsEnabled = (testInfo) => testInfo.project.name === 'js';

/** The page fits a 360 px screen: nothing scrolls sideways. */
async function expectNoHorizontalScroll(page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

/** axe-core finds no WCAG 2.x A/AA violation. Needs JavaScript in the page, so JS runs only. */
async function expectAccessible(page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/**
 * Collects console errors and failed requests so a test can assert the page loaded cleanly.
 * With scripting off, Chromium cancels the module preload of the islands script: not an error.
 */
function watchForErrors(page, { scripts }) {
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('requestfailed', (req) => {
    if (!scripts && req.resourceType() === 'script') return;
    errors.push(`request failed: ${req.url()}`);
  });
  return errors;
}

/** Fills a date question's three boxes (Ngày / Tháng / Năm, or Day / Month / Year) under its
 * legend with `date` as dd/mm/yyyy. */
async function fillDate(page, legend, date, boxes = ['Ngày', 'Tháng', 'Năm']) {
  const group = page.getByRole('group', { name: legend });
  const parts = date.split('/');
  for (let i = 0; i < 3; i += 1) await group.getByLabel(boxes[i], { exact: true }).fill(parts[i]);
}

/** Every link and control on the page is a target of at least 44 × 44 px; a radio or checkbox
 * counts with its label, which taps it too. */
async function expectTapTargets(page) {
  const small = await page.evaluate(() => {
    const found = [];
    for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')) {
      if (el.closest('.skip-link, .visually-hidden')) continue;
      const target = ['radio', 'checkbox'].includes(el.type) ? (el.closest('.choice') || el) : el;
      const box = target.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (box.width < 44 || box.height < 43.5) {
        found.push(`${el.tagName.toLowerCase()} “${(el.textContent || el.name || el.id).trim().slice(0, 40)}” ${Math.round(box.width)}×${Math.round(box.height)}`);
      }
    }
    return found;
  });
  expect(small, `tap targets under 44 px on ${page.url()}`).toEqual([]);
}

/** Chooses `file` in a document's file input. With JavaScript the page sends it as soon as it
 * is chosen (once its script runs, hence the wait); without, "Tải lên" sends it. Either way the
 * page then says it was received. */
async function uploadDocument(page, testInfo, input, file) {
  if (jsEnabled(testInfo)) await expect(input).toHaveAttribute('data-shrinks', 'yes');
  await input.setInputFiles(file);
  if (!jsEnabled(testInfo)) await page.getByRole('button', { name: 'Tải lên' }).click();
  await expect(page.getByRole('status')).toHaveText('Đã nhận tệp.');
}

/** Holds the document uploads the page sends until `release()`; with `failFirst` the first
 * one then meets a dropped connection. `count()` tells how many were sent. */
async function holdUploads(page, { failFirst = false } = {}) {
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  let count = 0;
  await page.route((url) => url.pathname.endsWith('/nop-ho-so/tai-len'), async (route) => {
    count += 1;
    const first = count === 1;
    await released;
    if (first && failFirst) await route.abort('failed');
    else await route.continue();
  });
  return { release, count: () => count };
}

module.exports = {
  jsEnabled, expectNoHorizontalScroll, expectAccessible, watchForErrors, fillDate, expectTapTargets, uploadDocument,
  holdUploads,
};
