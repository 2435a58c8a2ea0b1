// Anyone holding the dossier code and the last four digits of the applicant's phone follows the
// dossier from another phone, without signing in, as the desk moves it; wrong digits reveal
// nothing. With JavaScript on and off.
const { test, expect } = require('@playwright/test');
const { jsEnabled, expectNoHorizontalScroll, expectAccessible } = require('./helpers');
const { fileBirthRegistration } = require('./citizen');
const { officer, actionForm } = require('./staff');

test('a relative follows a dossier with its code and the last digits of the phone', async ({ page, browser }, testInfo) => {
  test.setTimeout(120_000);
  const js = jsEnabled(testInfo);
  const phone = js ? '0912000707' : '0912000808';
  const code = await fileBirthRegistration(page, browser, phone);

  const context = await browser.newContext({ ...testInfo.project.use });
  const relative = await context.newPage();
  await relative.goto('/');
  await relative.getByRole('link', { name: 'Tra cứu tình trạng hồ sơ đã nộp' }).click();
  // An empty form gets the site's own error summary, not the browser's bubble.
  await relative.getByRole('button', { name: 'Tra cứu' }).click();
  await expect(relative.getByRole('alert')).toContainText('Mã hồ sơ');
  // The code as people type it from a slip read aloud: lower case, spaces, no dots or hyphens.
  const spoken = code.toLowerCase().replace(/[.-]/g, ' ');
  await relative.getByLabel('Mã hồ sơ').fill(spoken);
  await relative.getByLabel('4 số cuối điện thoại người nộp').fill('0000');
  await relative.getByRole('button', { name: 'Tra cứu' }).click();
  await expect(relative.getByRole('alert')).toContainText('không khớp');
  await expect(relative.getByLabel('Mã hồ sơ')).toHaveValue(spoken);
  await expect(relative.getByText('Mới đăng ký')).toHaveCount(0);
  await relative.getByLabel('4 số cuối điện thoại người nộp').fill(phone.slice(-4));
  await relative.getByRole('button', { name: 'Tra cứu' }).click();
  await expect(relative.getByRole('status')).toContainText('Mới đăng ký');
  await expect(relative.getByText('Lò Thị Mai')).toHaveCount(0);
  await expectNoHorizontalScroll(relative);
  if (js) await expectAccessible(relative);

  const intake = await officer(browser, testInfo, 'tiepnhan.giavien');
  await intake.getByLabel(/^Tìm theo mã hồ sơ/).fill(code.replace(/[.-]/g, ''));
  await intake.getByRole('button', { name: 'Tìm' }).click();
  await intake.getByRole('link', { name: code }).click();
  await expect(intake.getByRole('heading', { level: 1, name: `Hồ sơ ${code}` })).toBeVisible();
  await (await actionForm(intake, 'Tiếp nhận hồ sơ')).getByRole('button', { name: 'Tiếp nhận hồ sơ' }).click();
  await relative.reload();
  await expect(relative.getByRole('status')).toContainText('Được tiếp nhận');

  const form = await actionForm(intake, 'Yêu cầu bổ sung');
  await form.getByLabel(/Nội dung cần bổ sung/).fill('Ảnh giấy chứng sinh bị mờ');
  await form.getByLabel('Ảnh hoặc bản PDF Giấy chứng sinh').check();
  await form.getByRole('button', { name: 'Yêu cầu bổ sung' }).click();
  await relative.reload();
  await expect(relative.getByRole('status')).toContainText('Bạn cần bổ sung: Ảnh hoặc bản PDF Giấy chứng sinh');
  await expect(relative.getByRole('status')).toContainText('Ảnh giấy chứng sinh bị mờ');
});
