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

module.exports = { jsEnabled, expectNoHorizontalScroll, expectAccessible, watchForErrors };
