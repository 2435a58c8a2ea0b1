// A citizen browses the posted procedures from a phone.
const fs = require('fs');
const { test, expect } = require('@playwright/test');
const { jsEnabled, expectNoHorizontalScroll, expectAccessible, watchForErrors } = require('./helpers');

test('home page lists the procedures stored in the database, in Vietnamese', async ({ page }) => {
  const response = await page.goto('/');
  expect(response.status()).toBe(200);
  await expect(page.locator('html')).toHaveAttribute('lang', 'vi');
  await expect(page.getByRole('heading', { level: 1, name: 'Thủ tục hành chính' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Đăng ký khai sinh', exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Đăng ký thường trú', exact: true })).toBeVisible();
  await expect(page.locator('.site-footer__demo')).toContainText('Dữ liệu minh hoạ');
  await expectNoHorizontalScroll(page);
});

test('a citizen finds a procedure without diacritics, opens it, downloads a form, switches to English and back', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Tìm thủ tục').fill('dang ky khai sinh');
  await page.getByRole('button', { name: 'Tìm', exact: true }).click();
  await expect(page).toHaveURL(/\/thu-tuc\?q=dang\+ky\+khai\+sinh$/);
  await expect(page.getByRole('status')).toHaveText(/^Tìm thấy \d+ thủ tục cho “dang ky khai sinh”$/);
  const results = page.locator('.procedure-card__name');
  await expect(results.first()).toHaveText('Đăng ký khai sinh');
  await expectNoHorizontalScroll(page);
  await results.first().click();
  await expect(page).toHaveURL(/\/thu-tuc\/1\.001193$/);

  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: /^Tải mẫu: Tờ khai đăng ký khai sinh/ }).first().click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('to-khai-dang-ky-khai-sinh.pdf');
  const pdf = fs.readFileSync(await download.path());
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

  await page.getByRole('link', { name: 'English' }).click();
  await expect(page).toHaveURL(/\/thu-tuc\/1\.001193$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 2, name: 'Forms' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Đăng ký khai sinh' })).toBeVisible();
  await page.getByRole('link', { name: 'Tiếng Việt' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'vi');
  await expect(page.getByRole('heading', { level: 2, name: 'Biểu mẫu' })).toBeVisible();
});

test('a citizen browses one field from the home page and can clear the filter', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Chứng thực', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText('Có 3 thủ tục');
  await expect(page.getByText('Đang lọc: Chứng thực.')).toBeVisible();
  await expectNoHorizontalScroll(page);
  await page.getByRole('link', { name: 'Bỏ lọc' }).click();
  await expect(page.getByRole('status')).toHaveText('Có 30 thủ tục');
  await expect(page.getByRole('link', { name: 'Trang sau ›' })).toBeVisible();
  await page.getByRole('link', { name: 'Trang sau ›' }).click();
  await expect(page.getByText('Trang 2/2')).toBeVisible();
});

test('a citizen narrows the catalog by level and by the commune where they will file', async ({ page }) => {
  await page.goto('/thu-tuc');
  await page.getByText('Lọc theo lĩnh vực, cấp thực hiện, nơi nộp').click();
  await page.getByLabel('Cấp thực hiện').selectOption('Cấp tỉnh');
  await page.getByRole('button', { name: 'Lọc', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText('Có 1 thủ tục');
  await expect(page.locator('.procedure-card__name')).toHaveText(/Cấp Phiếu lý lịch tư pháp/);
  await page.getByLabel('Cấp thực hiện').selectOption('');
  await page.getByLabel('Nơi nộp hồ sơ').selectOption({ label: 'UBND Xã Kim Sơn' });
  await page.getByLabel('Lĩnh vực').selectOption('Đăng ký, quản lý cư trú');
  await page.getByRole('button', { name: 'Lọc', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText('Có 8 thủ tục');
  await expect(page.getByText('Đang lọc: Đăng ký, quản lý cư trú · UBND Xã Kim Sơn.')).toBeVisible();
  await expect(page.getByLabel('Nơi nộp hồ sơ')).toHaveValue('DEMO.NB.05');
  await expectNoHorizontalScroll(page);
});

test('a search with no match explains what to try next', async ({ page }) => {
  await page.goto('/thu-tuc?q=xyzxyzq');
  await expect(page.getByText('Không tìm thấy thủ tục phù hợp. Hãy thử:')).toBeVisible();
  await expect(page.getByLabel('Tìm thủ tục')).toHaveValue('xyzxyzq');
});

test('a procedure page shows every posted section and leads to online filing', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Đăng ký kết hôn', exact: true }).click();
  await expect(page).toHaveURL(/\/thu-tuc\/1\.000894$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Đăng ký kết hôn' })).toBeVisible();
  for (const section of ['Cách thức nộp, thời hạn và phí', 'Trình tự thực hiện', 'Hồ sơ cần chuẩn bị', 'Điều kiện thực hiện',
    'Biểu mẫu', 'Kết quả', 'Nơi nộp hồ sơ', 'Căn cứ pháp lý']) {
    await expect(page.getByRole('heading', { level: 2, name: section })).toBeVisible();
  }
  const verification = page.getByRole('table', { name: 'Trường hợp 2: Cần xác minh điều kiện kết hôn' });
  await expect(verification.getByRole('row', { name: /Trực tuyến/ })).toContainText('5 ngày làm việc');
  await expect(page.getByText('Bản chính: 1 · Bắt buộc', { exact: false }).first()).toBeVisible();
  await expect(page).toHaveTitle('Đăng ký kết hôn · Một Cửa');
  await expectNoHorizontalScroll(page);
  await page.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' }).click();
  await expect(page).toHaveURL(/\/nop-ho-so\/1\.000894$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Nộp hồ sơ trực tuyến: Đăng ký kết hôn' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Bắt đầu' })).toBeVisible();
});

test('an in-person procedure says where to go instead of offering online filing', async ({ page }) => {
  await page.goto('/thu-tuc/2.000815');
  await expect(page.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Xem nơi nộp hồ sơ' }).click();
  await expect(page).toHaveURL(/#noi-nop$/);
  await expect(page.getByText('Xuất trình để đối chiếu').first()).toBeVisible();
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

// One test per page: axe-core takes seconds on a long page, and nine pages in one test outran its time budget on a loaded CI machine.
for (const path of ['/', '/thu-tuc', '/thu-tuc?q=khai+sinh', '/thu-tuc?cap=C%E1%BA%A5p+x%C3%A3&co-quan=DEMO.NB.01',
  '/thu-tuc/1.001193', '/thu-tuc/1.000894', '/thu-tuc/2.000815', '/nop-ho-so/1.001193', '/gop-y']) {
  test(`catalog page ${path} has no accessibility violations`, async ({ page }, testInfo) => {
    test.skip(!jsEnabled(testInfo), 'axe-core runs as a script inside the page');
    await page.goto(path);
    await expectAccessible(page);
  });
}

test('pages load with no script error and no request blocked by the security policy', async ({ page }, testInfo) => {
  const errors = watchForErrors(page, { scripts: jsEnabled(testInfo) });
  const response = await page.goto('/thu-tuc/1.001193');
  const csp = response.headers()['content-security-policy'];
  expect(csp).toContain("frame-ancestors 'none'");
  expect(response.headers()['x-content-type-options']).toBe('nosniff');
  await page.waitForLoadState('networkidle');
  expect(errors).toEqual([]);
});

test('read-only pages download no script, the feedback form included', async ({ page }, testInfo) => {
  test.skip(!jsEnabled(testInfo), 'scripts are never fetched without JavaScript');
  const scripts = [];
  page.on('request', (req) => { if (/\.(js|wasm)$/.test(new URL(req.url()).pathname)) scripts.push(req.url()); });
  for (const path of ['/', '/thu-tuc/1.001193', '/gop-y', '/tra-cuu']) {
    await page.goto(path);
    await page.waitForLoadState('networkidle');
  }
  expect(scripts).toEqual([]);
  // A document step, where photos are shrunk and sent at once, has its script: the filing
  // tests check it runs (the file input is marked once it does).
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
