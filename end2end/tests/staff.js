// What an officer does in several flows: sign in to the desk with a demo account (leaders and
// administrators also give the second factor's code, setting it up the first time), and open
// the folded form of an action on a dossier.
const { expect } = require('@playwright/test');
const { secondFactorCode } = require('./totp');

const DEMO_PASSWORD = 'demo-mot-cua';

async function officer(browser, testInfo, username) {
  const context = await browser.newContext({ ...testInfo.project.use });
  const page = await context.newPage();
  await page.goto('/can-bo');
  await expect(page.getByRole('heading', { level: 1, name: 'Đăng nhập cán bộ' })).toBeVisible();
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  const heading = page.getByRole('heading', { level: 1 });
  await expect(heading).toHaveText(/Hồ sơ của cơ quan|Nhập mã xác thực|Xác thực hai bước/);
  const asked = await heading.textContent();
  if (asked !== 'Hồ sơ của cơ quan') {
    await secondFactorCode(page, username, asked === 'Xác thực hai bước');
    await page.goto('/can-bo');
  }
  await expect(page.getByRole('heading', { level: 1, name: 'Hồ sơ của cơ quan' })).toBeVisible();
  return page;
}

/** Opens the folded form of an action and returns it. */
async function actionForm(page, label) {
  const form = page.locator('details.action', { has: page.locator('summary', { hasText: label }) });
  // A form that came back with its errors is open already.
  if (!(await form.evaluate((details) => details.open))) await form.locator('summary').click();
  return form;
}

module.exports = { officer, actionForm };
