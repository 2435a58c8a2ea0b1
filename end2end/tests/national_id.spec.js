// Sign-in with the national digital identity against a real, independently written OpenID
// provider (npm oidc-provider, started by the test command: end2end/oidc-provider.mjs). The
// first time, the citizen proves a phone number to link the account; then the provider alone
// signs them in. A callback the browser did not start signs nobody in. JavaScript on and off.
const { test, expect } = require('@playwright/test');
const { jsEnabled, expectNoHorizontalScroll, expectAccessible } = require('./helpers');
const { signIn, fillBirthRegistration } = require('./citizen');
const { officer } = require('./staff');

/** The provider's own development pages: its login (any password), then its consent. */
async function throughProvider(page, person, link = 'Đăng nhập bằng định danh điện tử (VNeID)') {
  await page.getByRole('link', { name: link, exact: true }).click();
  await page.locator('input[name=login]').fill(person);
  await page.locator('input[name=password]').fill('mat-khau-thu-nghiem');
  await page.locator('button[type=submit]').click();
  const consent = page.locator('button[type=submit]');
  if (await consent.count()) await consent.click();
}

test('a citizen signs in with the national digital identity, links a phone once, signs in directly, files with the applicant pre-filled; the desk sees how', async ({ page, browser }, testInfo) => {
  test.setTimeout(150_000);
  const [person, phone, identity] = jsEnabled(testInfo)
    ? ['thu-nghiem-1', '0912000881', { name: 'Trần Thị Thử Nghiệm', idNumber: '001090088801', commune: 'Phường Hoa Lư', street: 'Số 5 phố Lê Lợi' }]
    : ['thu-nghiem-2', '0912000882', { name: 'Lê Văn Thử Nghiệm', idNumber: '001090088802' }];
  await page.goto('/dang-nhap');
  await throughProvider(page, person);
  await expect(page.getByText('Bạn đã xác thực bằng định danh điện tử')).toBeVisible();
  await expect(page.getByLabel('Số điện thoại di động')).toHaveValue(phone);
  await expectNoHorizontalScroll(page);
  await signIn(page, phone);
  await expect(page.getByRole('heading', { level: 1, name: 'Hồ sơ của tôi' })).toBeVisible();

  // Signing out of the portal signs out at the provider too (its own confirmation page), and
  // comes back to the portal; signing in again needs the provider's login, but no phone.
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/session\/end/);
  await page.locator('button[name=logout]').click();
  await expect(page).toHaveURL(new URL('/', testInfo.project.use.baseURL).href);
  await page.goto('/ho-so-cua-toi');
  await expect(page.getByRole('heading', { level: 1, name: 'Đăng nhập' })).toBeVisible();
  await throughProvider(page, person);
  await expect(page.getByRole('heading', { level: 1, name: 'Hồ sơ của tôi' })).toBeVisible();

  // The applicant's answers come from the national identity; the dossier filed says how its
  // applicant was identified, for the desk.
  await page.goto('/nop-ho-so/1.001193');
  await page.getByRole('button', { name: 'Bắt đầu' }).click();
  await fillBirthRegistration(page, browser, { identity });
  await expect(page.getByRole('heading', { level: 1, name: 'Đã gửi hồ sơ, chờ cơ quan tiếp nhận' })).toBeVisible();
  const code = (await page.locator('.receipt__code strong').textContent()).trim();
  const intake = await officer(browser, testInfo, 'tiepnhan.giavien');
  await intake.goto(`/can-bo/ho-so/${code}`);
  await expect(intake.getByText('Định danh điện tử (VNeID)')).toBeVisible();
  await intake.context().close();
});

test('a procedure filed online only with the national identity: a citizen signed in by phone signs in with it to start', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const [person, phone] = jsEnabled(testInfo) ? ['thu-nghiem-3', '0912000883'] : ['thu-nghiem-4', '0912000884'];
  await page.goto('/dang-nhap?tiep=/nop-ho-so/3.000333');
  await signIn(page, phone);
  await expect(page.getByText('chỉ nộp trực tuyến khi đăng nhập bằng định danh điện tử (VNeID)')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Bắt đầu' })).toHaveCount(0);
  await expectNoHorizontalScroll(page);
  if (jsEnabled(testInfo)) await expectAccessible(page);
  // Signed in by phone in this session, then through the provider: linked at once, back here.
  await throughProvider(page, person, 'Đăng nhập bằng định danh điện tử (VNeID) để bắt đầu');
  await page.getByRole('button', { name: 'Bắt đầu' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Nơi nộp hồ sơ' })).toBeVisible();
});

test('an ID token forged, carrying another nonce or expired is refused with a clear page and no session', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  // The test provider spoils these people's tokens on their way out (end2end/oidc-provider.mjs).
  for (const person of ['gia-mao-chu-ky', 'sai-nonce', 'het-han']) {
    await page.context().clearCookies(); // the provider's session too: each person logs in
    await page.goto('/dang-nhap');
    await throughProvider(page, person);
    await expect(page.getByRole('heading', { level: 1, name: 'Đăng nhập' })).toBeVisible();
    await expect(page.getByRole('alert')).toContainText('không hợp lệ. Bạn chưa được đăng nhập');
    if (jsEnabled(testInfo)) await expectAccessible(page);
    await page.goto('/ho-so-cua-toi');
    await expect(page.getByRole('heading', { level: 1, name: 'Đăng nhập' })).toBeVisible();
  }
});

test('a callback this browser did not start signs nobody in and says so', async ({ page }, testInfo) => {
  await page.goto('/dang-nhap/dinh-danh/ve?code=ma-gia&state=trang-thai-gia');
  await expect(page.getByRole('heading', { level: 1, name: 'Đăng nhập' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('không hợp lệ hoặc đã hết hạn');
  await expect(page.getByRole('link', { name: 'Đăng nhập bằng định danh điện tử (VNeID)' })).toBeVisible();
  await expectNoHorizontalScroll(page);
  if (jsEnabled(testInfo)) await expectAccessible(page);
  await page.goto('/ho-so-cua-toi');
  await expect(page.getByRole('heading', { level: 1, name: 'Đăng nhập' })).toBeVisible();
});
