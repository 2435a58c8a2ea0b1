// A citizen browses the posted procedures from a phone.
const { test, expect } = require('@playwright/test');
const { jsEnabled, expectNoHorizontalScroll, expectAccessible, watchForErrors } = require('./helpers');

test('home page lists the procedures stored in the database, in Vietnamese', async ({ page }) => {
  const response = await page.goto('/');
  expect(response.status()).toBe(200);
  await expect(page.locator('html')).toHaveAttribute('lang', 'vi');
  await expect(page.getByRole('heading', { level: 1, name: 'Thủ tục hành chính' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Đăng ký khai sinh' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Đăng ký thường trú' })).toBeVisible();
  await expect(page.locator('.site-footer__demo')).toContainText('Dữ liệu minh hoạ');
  await expectNoHorizontalScroll(page);
});

test('a citizen finds a procedure by typing its name without diacritics', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Tìm thủ tục').fill('dang ky khai sinh');
  await page.getByRole('button', { name: 'Tìm', exact: true }).click();
  await expect(page).toHaveURL(/\/thu-tuc\?q=dang\+ky\+khai\+sinh$/);
  await expect(page.getByRole('status')).toHaveText('Tìm thấy 2 thủ tục cho “dang ky khai sinh”');
  const results = page.locator('.procedure-card__name');
  await expect(results.first()).toHaveText('Đăng ký khai sinh');
  await results.first().click();
  await expect(page).toHaveURL(/\/thu-tuc\/1\.001193$/);
  await expectNoHorizontalScroll(page);
});

test('a citizen browses one field from the home page and can clear the filter', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Chứng thực', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText('Lĩnh vực Chứng thực: 1 thủ tục');
  await page.getByRole('link', { name: 'Bỏ lọc lĩnh vực' }).click();
  await expect(page.getByRole('status')).toHaveText('Có 6 thủ tục');
  await expectNoHorizontalScroll(page);
});

test('a search with no match explains what to try next', async ({ page }) => {
  await page.goto('/thu-tuc?q=xyzxyzq');
  await expect(page.getByText('Không tìm thấy thủ tục phù hợp. Hãy thử:')).toBeVisible();
  await expect(page.getByLabel('Tìm thủ tục')).toHaveValue('xyzxyzq');
});

test('a citizen opens a procedure and sees its steps, documents, time limit and fee', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Đăng ký khai sinh' }).click();
  await expect(page).toHaveURL(/\/thu-tuc\/1\.001193$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Đăng ký khai sinh' })).toBeVisible();
  for (const section of ['Trình tự thực hiện', 'Hồ sơ cần chuẩn bị', 'Kết quả', 'Căn cứ pháp lý']) {
    await expect(page.getByRole('heading', { level: 2, name: section })).toBeVisible();
  }
  await expect(page.getByText('Tờ khai đăng ký khai sinh theo mẫu', { exact: false })).toBeVisible();
  await expect(page.locator('dd', { hasText: 'Miễn lệ phí' })).toBeVisible();
  await expect(page).toHaveTitle('Đăng ký khai sinh · Một Cửa');
  await expectNoHorizontalScroll(page);
});

test('an unknown procedure code answers 404 with a way back', async ({ page }) => {
  const response = await page.goto('/thu-tuc/9.999999');
  expect(response.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'Không tìm thấy thủ tục' })).toBeVisible();
  await page.getByRole('link', { name: 'Xem danh sách thủ tục' }).click();
  await expect(page).toHaveURL(/\/$/);
});

test('an unknown address answers 404 in Vietnamese', async ({ page }) => {
  const response = await page.goto('/khong-co-trang-nay');
  expect(response.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'Không tìm thấy trang' })).toBeVisible();
});

test('catalog pages have no accessibility violations', async ({ page }, testInfo) => {
  test.skip(!jsEnabled(testInfo), 'axe-core runs as a script inside the page');
  for (const path of ['/', '/thu-tuc', '/thu-tuc?q=khai+sinh', '/thu-tuc/1.001193', '/gop-y']) {
    await page.goto(path);
    await expectAccessible(page);
  }
});

test('pages load with no script error and no request blocked by the security policy', async ({ page }, testInfo) => {
  const errors = watchForErrors(page, { scripts: jsEnabled(testInfo) });
  const response = await page.goto('/thu-tuc/1.001193');
  const csp = response.headers()['content-security-policy'];
  expect(csp).toContain("frame-ancestors 'none'");
  expect(response.headers()['x-content-type-options']).toBe('nosniff');
  await page.waitForLoadState('networkidle');
  expect(errors).toEqual([]);
});

test('a page without interactive parts downloads no script; one with an island does', async ({ page }, testInfo) => {
  test.skip(!jsEnabled(testInfo), 'scripts are never fetched without JavaScript');
  const scripts = [];
  page.on('request', (req) => { if (/\.(js|wasm)$/.test(new URL(req.url()).pathname)) scripts.push(req.url()); });
  await page.goto('/');
  await page.waitForLoadState('networkidle');
  expect(scripts).toEqual([]);
  await page.goto('/thu-tuc/1.001193');
  await page.waitForLoadState('networkidle');
  expect(scripts.some((url) => url.endsWith('.wasm'))).toBe(true);
});

test('a citizen switches to English, the choice follows them across pages, and switches back', async ({ page }) => {
  await page.goto('/thu-tuc/1.001193');
  await page.getByRole('link', { name: 'English' }).click();
  await expect(page).toHaveURL(/\/thu-tuc\/1\.001193$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 2, name: 'Steps' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Đăng ký khai sinh' })).toBeVisible();
  await page.getByRole('navigation', { name: 'You are here' }).getByRole('link', { name: 'Procedure catalog' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Catalog of administrative procedures' })).toBeVisible();
  await expectNoHorizontalScroll(page);
  await page.getByRole('link', { name: 'Tiếng Việt' }).click();
  await expect(page).toHaveURL(/\/thu-tuc$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'vi');
  await expect(page.getByRole('heading', { level: 1, name: 'Danh mục thủ tục hành chính' })).toBeVisible();
});
