// Fees paid online through the portal's demo gateway, which speaks VNPAY's signed protocol:
// the desk asks for a fee, the citizen pays it from the dossier's page, the gateway's signed
// notification records it (never the browser's return), and the citizen and the desk see it.
// With JavaScript on and off.
const { test, expect } = require('@playwright/test');
const { jsEnabled, expectNoHorizontalScroll } = require('./helpers');
const { fileBirthRegistration } = require('./citizen');
const { officer, actionForm, expectCountedAsPaidOnline } = require('./staff');

async function findDossier(page, code) {
  await page.getByLabel('Tìm theo mã hồ sơ, tên người nộp hoặc số điện thoại').fill(code);
  await page.getByRole('button', { name: 'Tìm' }).click();
  await page.getByRole('link', { name: code }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Hồ sơ ${code}` })).toBeVisible();
}

test('the desk asks for a fee, the citizen pays it online and both see it paid', async ({ page, browser }, testInfo) => {
  test.setTimeout(180_000);
  const phone = jsEnabled(testInfo) ? '0912000771' : '0912000772';
  const code = await fileBirthRegistration(page, browser, phone);
  const intake = await officer(browser, testInfo, 'tiepnhan.giavien');
  await findDossier(intake, code);
  await (await actionForm(intake, 'Tiếp nhận hồ sơ')).getByRole('button', { name: 'Tiếp nhận hồ sơ' }).click();
  await expect(intake.getByRole('status')).toContainText('Đã tiếp nhận hồ sơ');
  const processing = await officer(browser, testInfo, 'xuly.giavien');
  await findDossier(processing, code);
  const ask = await actionForm(processing, 'Yêu cầu nộp phí, lệ phí');
  await ask.getByLabel('Số tiền (đồng)').fill('50000');
  await ask.getByRole('button', { name: 'Yêu cầu nộp phí, lệ phí' }).click();
  await expect(processing.getByRole('status')).toBeVisible();
  await processing.goto('/can-bo?hang=cho-nop-phi');
  await expect(processing.getByRole('link', { name: code })).toBeVisible();

  // The tracking page says what to pay and leads to the dossiers, where it is paid.
  await page.goto(`/tra-cuu/${code}`);
  await expect(page.getByText('Bạn cần nộp phí, lệ phí 50.000 đồng')).toBeVisible();
  await page.getByRole('link', { name: 'Đăng nhập để thanh toán trực tuyến' }).click();
  await page.getByRole('link', { name: code }).click();
  const pay = page.getByRole('region', { name: 'Thanh toán trực tuyến' });
  await expect(pay).toContainText('50.000 đồng');
  await expect(pay).toContainText('UBND Xã Gia Viễn');
  await expectNoHorizontalScroll(page);
  await pay.getByRole('button', { name: 'Thanh toán trực tuyến' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Cổng thanh toán DEMO/ })).toBeVisible();
  await expect(page.getByText('50.000 đồng')).toBeVisible();
  await page.getByRole('button', { name: /^Thanh toán thành công/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Đã thanh toán' })).toBeVisible();
  await page.getByRole('link', { name: 'Xem biên lai' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Biên lai thu phí, lệ phí điện tử' })).toBeVisible();
  await expect(page.getByText(/Biên lai DEMO/)).toBeVisible();
  await expect(page.locator('.receipt')).toContainText('50.000 đồng');
  await expect(page.locator('.receipt')).toContainText(code);
  await expectNoHorizontalScroll(page);

  // Back on the dossier: paid, nothing more to pay, and the dossier back in processing.
  await page.goto(`/ho-so-cua-toi/${code}`);
  await expect(pay).toContainText('đã nộp 50.000 đồng');
  await expect(pay.getByRole('button', { name: 'Thanh toán trực tuyến' })).toHaveCount(0);
  await processing.reload();
  await expect(processing.getByRole('link', { name: code })).toHaveCount(0);
  await processing.goto('/can-bo?hang=da-nop-phi-truc-tuyen');
  await processing.getByRole('link', { name: code }).click();
  await expect(processing.getByText('Đã thanh toán trực tuyến').first()).toBeVisible();
  await expect(processing.getByText(/Mã giao dịch của cổng thanh toán/).first()).toBeVisible();
  await expectCountedAsPaidOnline(browser, testInfo, code);
});

test('a cancelled payment records nothing and the citizen may pay again', async ({ page, browser }, testInfo) => {
  test.setTimeout(180_000);
  const phone = jsEnabled(testInfo) ? '0912000773' : '0912000774';
  const code = await fileBirthRegistration(page, browser, phone);
  const intake = await officer(browser, testInfo, 'tiepnhan.giavien');
  await findDossier(intake, code);
  await (await actionForm(intake, 'Tiếp nhận hồ sơ')).getByRole('button', { name: 'Tiếp nhận hồ sơ' }).click();
  const processing = await officer(browser, testInfo, 'xuly.giavien');
  await findDossier(processing, code);
  const ask = await actionForm(processing, 'Yêu cầu nộp phí, lệ phí');
  await ask.getByLabel('Số tiền (đồng)').fill('20000');
  await ask.getByRole('button', { name: 'Yêu cầu nộp phí, lệ phí' }).click();
  await expect(processing.getByRole('status')).toBeVisible();

  await page.goto(`/ho-so-cua-toi/${code}`);
  const pay = page.getByRole('region', { name: 'Thanh toán trực tuyến' });
  await pay.getByRole('button', { name: 'Thanh toán trực tuyến' }).click();
  await page.getByRole('button', { name: /^Huỷ giao dịch/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Chưa thanh toán' })).toBeVisible();
  await page.getByRole('link', { name: 'Về trang hồ sơ' }).click();
  await expect(pay).toContainText('20.000 đồng');
  await pay.getByRole('button', { name: 'Thanh toán trực tuyến' }).click();
  await page.getByRole('button', { name: /^Thanh toán thành công/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Đã thanh toán' })).toBeVisible();
});
