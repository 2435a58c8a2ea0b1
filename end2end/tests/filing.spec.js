// A citizen signs in with a code sent by SMS, files a birth registration from a phone with a
// photo of the birth certificate, stops, continues on another device, submits, and gets a
// receipt; a second tap on "Nộp hồ sơ" files nothing more. With JavaScript on and off.
const { test, expect } = require('@playwright/test');
const { jsEnabled, expectNoHorizontalScroll, expectAccessible, fillDate, holdUploads } = require('./helpers');
const { smsLines, signIn } = require('./citizen');

/** A JPEG "photo" of a paper document as a phone camera makes it: 2400×1800 with sensor
 * noise, well over a megabyte. Drawn by a separate page of the browser itself. */
async function photoOfDocument(browser) {
  const camera = await browser.newPage({ viewport: { width: 2400, height: 1800 }, javaScriptEnabled: true });
  await camera.setContent(`<body style="margin:0"><canvas id="c" width="2400" height="1800"></canvas><script>
    const g = document.getElementById('c').getContext('2d'), img = g.createImageData(2400, 1800);
    for (let i = 0; i < img.data.length; i += 4) { const v = 180 + Math.random() * 60; img.data.set([v, v - 10, v - 25, 255], i); }
    g.putImageData(img, 0, 0);
    g.fillStyle = '#000'; g.font = '96px serif'; g.fillText('GIẤY CHỨNG SINH (ảnh minh hoạ)', 420, 420);
  </script></body>`);
  const jpeg = await camera.screenshot({ type: 'jpeg', quality: 92 });
  await camera.close();
  return { name: 'IMG_20260102_0930.jpg', mimeType: 'image/jpeg', buffer: jpeg };
}

async function next(page) {
  await page.getByRole('button', { name: 'Tiếp tục' }).click();
}

test('a citizen files a birth registration with a photo, leaves, comes back, submits once and gets a receipt', async ({ page, browser }, testInfo) => {
  test.setTimeout(90_000);
  const phone = jsEnabled(testInfo) ? '0912000101' : '0912000202';
  await page.goto('/thu-tuc/1.001193');
  await page.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Nộp hồ sơ trực tuyến: Đăng ký khai sinh' })).toBeVisible();
  await page.getByRole('button', { name: 'Bắt đầu' }).click();
  // Signed in, filing starts at once: no second "Bắt đầu".
  await signIn(page, phone);

  await expect(page.getByText('Bước 1/8')).toBeVisible();
  // "Quay lại" on the first step goes back to where filing started, and a draft not wanted is
  // deleted from "Hồ sơ của tôi".
  await page.getByRole('link', { name: 'Quay lại' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Nộp hồ sơ trực tuyến: Đăng ký khai sinh' })).toBeVisible();
  await page.goto('/ho-so-cua-toi');
  const drafts = page.getByRole('button', { name: /^Xoá bản nháp/ });
  const before = await drafts.count();
  await drafts.first().click();
  await expect(page.getByRole('status')).toHaveText('Đã xoá bản nháp và các tệp của nó.');
  await expect(drafts).toHaveCount(before - 1);
  await page.goto('/nop-ho-so/1.001193');
  await page.getByRole('button', { name: 'Bắt đầu' }).click();
  await expect(page.getByText('Bước 1/8')).toBeVisible();
  await page.getByLabel('UBND Xã Gia Viễn').check();
  await next(page);

  await expect(page.getByRole('heading', { level: 1, name: 'Người đi đăng ký khai sinh' })).toBeVisible();
  await page.getByLabel('Họ, chữ đệm và tên của bạn').fill('Lò Thị Mai');
  await page.getByLabel('Số định danh cá nhân của bạn').fill('0371900012');
  await page.getByLabel('Mẹ', { exact: true }).check();
  await page.getByLabel('Xã, phường').selectOption({ label: 'Xã Gia Viễn' });
  await page.getByLabel('Số nhà, đường phố hoặc thôn, xóm').fill('Thôn Đông');
  await next(page);
  // A short ID number is explained, with everything typed kept.
  await expect(page.getByRole('alert')).toContainText('gồm đúng 12 chữ số');
  await expect(page.getByLabel('Họ, chữ đệm và tên của bạn')).toHaveValue('Lò Thị Mai');
  await expectNoHorizontalScroll(page);
  if (jsEnabled(testInfo)) await expectAccessible(page);
  await page.getByRole('link', { name: /gồm đúng 12 chữ số/ }).click();
  await expect(page.getByLabel('Số định danh cá nhân của bạn')).toBeFocused();
  await page.getByLabel('Số định danh cá nhân của bạn').fill('037190001234');
  await next(page);

  await expect(page.getByRole('heading', { level: 1, name: 'Thông tin của trẻ' })).toBeVisible();
  await page.getByLabel('Họ, chữ đệm và tên của trẻ').fill('Lò Văn An');
  await page.getByLabel('Nam', { exact: true }).check();
  await fillDate(page, 'Ngày sinh của trẻ', '02/01/2026');
  await page.getByLabel('Nơi sinh của trẻ').fill('Trạm y tế xã Gia Viễn');
  await page.getByLabel('Dân tộc của trẻ').fill('Mường');
  await page.getByLabel('Việt Nam', { exact: true }).check();
  await next(page);

  // Stop here and leave.
  await expect(page.getByRole('heading', { level: 1, name: 'Thông tin người mẹ' })).toBeVisible();
  await page.getByLabel('Họ, chữ đệm và tên của mẹ').fill('Lò Thị Mai');
  await page.getByRole('button', { name: 'Lưu và làm tiếp sau' }).click();
  await expect(page.getByRole('status')).toContainText('Đã lưu hồ sơ');
  await expect(page.getByRole('link', { name: 'Đăng ký khai sinh' })).toBeVisible();

  // Later, on another phone.
  const other = await browser.newContext({ ...testInfo.project.use, baseURL: testInfo.project.use.baseURL });
  const later = await other.newPage();
  await later.goto('/ho-so-cua-toi');
  await signIn(later, phone);
  await expect(later).toHaveURL(/\/ho-so-cua-toi$/);
  await later.getByRole('link', { name: 'Đăng ký khai sinh' }).click();
  await expect(later.getByLabel('UBND Xã Gia Viễn')).toBeChecked();
  await next(later);
  await expect(later.getByLabel('Số định danh cá nhân của bạn')).toHaveValue('037190001234');
  await next(later);
  await expect(later.getByLabel('Họ, chữ đệm và tên của trẻ')).toHaveValue('Lò Văn An');
  await next(later);
  await expect(later.getByLabel('Họ, chữ đệm và tên của mẹ')).toHaveValue('Lò Thị Mai');
  await fillDate(later, 'Ngày sinh của mẹ', '06/05/1990');
  await later.getByLabel('Số định danh cá nhân của mẹ').fill('037190001234');
  await next(later);
  await expect(later.getByRole('heading', { level: 1, name: 'Thông tin người cha' })).toBeVisible();
  await next(later);

  await expect(later.getByRole('heading', { level: 1, name: 'Giấy chứng sinh' })).toBeVisible();
  await next(later);
  await expect(later.getByRole('alert')).toContainText('Vui lòng tải lên');
  const photo = await photoOfDocument(browser);
  expect(photo.buffer.length).toBeGreaterThan(1_500_000);
  const input = later.getByLabel('Ảnh hoặc bản PDF Giấy chứng sinh');
  if (jsEnabled(testInfo)) {
    // With JavaScript the phone shrinks the photo and sends it at once, showing its progress,
    // with the page's buttons waiting. The first attempt meets a dropped connection: the photo
    // is kept and "Thử lại" sends it.
    await expect(input).toHaveAttribute('data-shrinks', 'yes');
    const uploads = await holdUploads(later, { failFirst: true });
    await input.setInputFiles(photo);
    await expect(later.getByText(/Ảnh đã được thu nhỏ từ \d+ KB còn \d+ KB\. Đang gửi tệp/)).toBeVisible();
    await expect(later.getByRole('progressbar')).toBeVisible();
    await expect(later.getByRole('button', { name: 'Tiếp tục', exact: true })).toBeDisabled();
    uploads.release();
    await expect(later.getByText('Chưa gửi được tệp: mạng yếu hoặc bị ngắt.')).toBeVisible();
    await expect(later.getByRole('button', { name: 'Tiếp tục', exact: true })).toBeEnabled();
    await later.getByRole('button', { name: 'Thử lại' }).click();
    await expect(later.getByRole('status')).toHaveText('Đã nhận tệp.');
    expect(uploads.count()).toBe(2);
  } else {
    // Without, "Tải lên" sends it and the server shrinks it.
    await input.setInputFiles(photo);
    await later.getByRole('button', { name: 'Tải lên' }).click();
    await expect(later.getByRole('status')).toHaveText('Đã nhận tệp.');
  }
  await expect(later.getByRole('link', { name: /^Ảnh 1, \d+ KB$/ })).toBeVisible();
  await expectNoHorizontalScroll(later);
  await next(later);
  await later.getByLabel('Bạn cần thêm bao nhiêu bản sao Trích lục khai sinh?').fill('1');
  await next(later);

  await expect(later.getByRole('heading', { level: 1, name: 'Kiểm tra lại câu trả lời' })).toBeVisible();
  await expect(later.getByText('02/01/2026')).toBeVisible();
  await expect(later.getByText('1 tệp')).toBeVisible();
  // Change one answer from the check page and come straight back.
  await later.getByRole('link', { name: 'Thay đổi Thông tin của trẻ' }).click();
  await later.getByLabel('Nơi sinh của trẻ').fill('Bệnh viện đa khoa tỉnh');
  await later.getByRole('button', { name: 'Lưu và quay lại trang kiểm tra' }).click();
  await expect(later.getByText('Bệnh viện đa khoa tỉnh')).toBeVisible();
  await expectNoHorizontalScroll(later);
  if (jsEnabled(testInfo)) await expectAccessible(later);

  await later.getByLabel(/Tôi cam đoan/).check();
  const checkPage = later.url();
  await later.getByRole('button', { name: 'Nộp hồ sơ' }).click();
  // Not checked yet: sent, awaiting intake, with no appointment before it is accepted.
  await expect(later.getByRole('heading', { level: 1, name: 'Đã gửi hồ sơ, chờ cơ quan tiếp nhận' })).toBeVisible();
  const code = (await later.locator('.receipt__code strong').textContent()).trim();
  expect(code).toMatch(/^DEMO\.NB\.03-\d{6}-\d{4}$/);
  await expect(later.getByText('Dự kiến kiểm tra xong trước')).toBeVisible();
  await expect(later.getByText('Ngày hẹn trả kết quả', { exact: true })).toHaveCount(0);
  await expect(later.locator('.facts dd strong')).toHaveText(/^\d{2}\/\d{2}\/\d{4}$/);
  await expect(later.locator('.receipt__qr svg')).toBeVisible();
  await expectNoHorizontalScroll(later);
  if (jsEnabled(testInfo)) await expectAccessible(later);
  await expect.poll(() => smsLines(phone).some((line) => line.includes(code))).toBe(true);

  // The first phone still has the check page open and taps "Nộp hồ sơ" again: same receipt.
  await page.goto(checkPage);
  await expect(page).toHaveURL(new RegExp(`/ho-so-cua-toi/${code.replace(/\./g, '\\.')}$`));
  // Personal pages are not stored (no-store): going back asks the server again, which may
  // already answer with the receipt instead of the check page.
  await later.goBack();
  await later.getByLabel(/Tôi cam đoan/).check({ timeout: 2_000 }).catch(() => {});
  await later.getByRole('button', { name: 'Nộp hồ sơ' }).click({ timeout: 2_000 }).catch(() => {});
  await later.goto('/ho-so-cua-toi');
  await expect(later.getByRole('link', { name: code })).toHaveCount(1);
  await expect(later.locator('.card-list').last().locator('.card')).toHaveCount(1);
  await other.close();
});

test('the sign-in page explains a wrong number and keeps it', async ({ page }) => {
  await page.goto('/dang-nhap');
  await page.getByLabel('Số điện thoại di động').fill('09123');
  await page.getByRole('button', { name: 'Gửi mã xác nhận' }).click();
  await expect(page.getByRole('alert')).toContainText('10 chữ số');
  await expect(page.getByLabel('Số điện thoại di động')).toHaveValue('09123');
  await expectNoHorizontalScroll(page);
});
