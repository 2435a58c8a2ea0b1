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

/** The leader's dashboard counts the dossier among today's dossiers that paid fees online, and
 * the number leads to it. */
async function expectCountedAsPaidOnline(browser, testInfo, code) {
  const leader = await officer(browser, testInfo, 'lanhdao.giavien');
  const today = new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 10);
  await leader.goto(`/can-bo/thong-ke?tu=${today}&den=${today}`);
  await expect(leader.locator('.headline')).toContainText('Nộp phí trực tuyến');
  const header = (await leader.locator('table.stats-table thead tr th').allTextContents()).map((c) => c.trim());
  const total = leader.locator('table.stats-table tfoot td').nth(header.indexOf('Nộp phí trực tuyến') - 1);
  expect(Number(await total.textContent())).toBeGreaterThan(0);
  await total.getByRole('link').press('Enter');
  await expect(leader.getByRole('heading', { level: 1 })).toContainText('Nộp phí trực tuyến');
  await expect(leader.getByRole('link', { name: code })).toBeVisible();
  await leader.context().close();
}

module.exports = { officer, actionForm, expectCountedAsPaidOnline };
