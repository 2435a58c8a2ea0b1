// How people actually speak and answer: everyday names find the procedure they mean, and a
// question asked only for some answers is required when it is asked. With JavaScript on and off.
const { test, expect } = require('@playwright/test');
const { jsEnabled, expectNoHorizontalScroll, fillDate, uploadDocument } = require('./helpers');
const { signIn, smallPhoto } = require('./citizen');
const { officer } = require('./staff');

async function search(page, words) {
  await page.goto('/');
  await page.getByLabel('Tìm thủ tục').fill(words);
  await page.getByRole('button', { name: 'Tìm', exact: true }).click();
  return page.locator('.procedure-card__name');
}

test('everyday names find the procedure people mean, first', async ({ page }) => {
  for (const words of ['giay xac nhan doc than', 'giấy độc thân', 'doc than']) {
    const results = await search(page, words);
    await expect(results.first(), words).toHaveText('Cấp Giấy xác nhận tình trạng hôn nhân');
  }
  // Synonyms of the province's list: people say "nhập hộ khẩu", the catalog "đăng ký thường trú".
  const results = await search(page, 'nhap ho khau');
  await expect(page.getByRole('status')).toContainText('“nhap ho khau”');
  await expect(results.first()).toHaveText('Đăng ký thường trú');
  await expect((await search(page, 'công chứng bản sao')).first()).toHaveText(/^Chứng thực bản sao từ bản chính/);
  // The formal names and typos still work as before.
  await expect((await search(page, 'dang ki khai sinh')).first()).toHaveText('Đăng ký khai sinh');
  await expectNoHorizontalScroll(page);
});

async function next(page) {
  await page.getByRole('button', { name: 'Tiếp tục', exact: true }).click();
}

test('a divorced applicant cannot send a marital-status request without the divorce decree', async ({ page, browser }, testInfo) => {
  test.setTimeout(120_000);
  const phone = jsEnabled(testInfo) ? '0912000677' : '0912000688';
  await page.goto('/nop-ho-so/1.004873');
  // The start page lists what to upload and what to show, not the declaration the form replaces.
  await expect(page.getByRole('listitem').filter({ hasText: /^Bản án, quyết định ly hôn/ })).toBeVisible();
  await expect(page.getByText('Tờ khai cấp Giấy xác nhận tình trạng hôn nhân theo mẫu')).toHaveCount(0);
  await page.getByRole('button', { name: 'Bắt đầu' }).click();
  await signIn(page, phone);
  await page.getByLabel('UBND Xã Gia Viễn').check();
  await next(page);
  await page.getByLabel('Cho chính tôi').check();
  await next(page);

  await expect(page.getByRole('heading', { level: 1, name: 'Người cần xác nhận' })).toBeVisible();
  await page.getByLabel('Họ, chữ đệm và tên của bạn').fill('Trần Thị Hoa');
  // A date that does not exist is explained, and the three boxes keep what was typed.
  await fillDate(page, 'Ngày sinh của bạn', '31/02/1992');
  await page.getByLabel('Nữ', { exact: true }).check();
  await page.getByLabel('Số định danh cá nhân của bạn').fill('037192004321');
  await page.getByLabel('Xã, phường').selectOption({ label: 'Xã Gia Viễn' });
  await page.getByLabel('Số nhà, đường phố hoặc thôn, xóm').fill('Thôn Đông');
  await next(page);
  await expect(page.getByRole('alert')).toContainText('ngày sinh của bạn: ngày này không có thật');
  const birth = page.getByRole('group', { name: 'Ngày sinh của bạn' });
  await expect(birth.getByLabel('Ngày', { exact: true })).toHaveValue('31');
  await expect(birth.getByLabel('Năm', { exact: true })).toHaveValue('1992');
  await expect(birth.getByLabel('Ngày', { exact: true })).toHaveAttribute('inputmode', 'numeric');
  await fillDate(page, 'Ngày sinh của bạn', '14/05/1992');
  await next(page);
  await page.getByLabel('Không cần xác minh').check();
  await next(page);

  // Never married: no decree is asked.
  await page.getByLabel('Chưa đăng ký kết hôn với ai').check();
  await page.getByLabel('Bạn cần giấy xác nhận để làm gì?').fill('Để đăng ký kết hôn');
  await page.getByLabel('Số bản cần cấp').fill('1');
  await next(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Giấy xác nhận đã cấp trước đây' })).toBeVisible();

  // Divorced: the decree page is asked, and it cannot be passed without a file.
  await page.getByRole('link', { name: 'Quay lại' }).click();
  await page.getByLabel('Đã ly hôn, chưa kết hôn lại').check();
  await next(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Giấy tờ ly hôn hoặc giấy chứng tử' })).toBeVisible();
  await next(page);
  await expect(page.getByRole('alert')).toContainText('Vui lòng tải lên');
  await expect(page).toHaveTitle(/^Lỗi: /);
  await next(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Giấy tờ ly hôn hoặc giấy chứng tử' })).toBeVisible();

  // Check answers refuses too, and leads back to the missing decree.
  await page.goto(page.url().replace(/[^/]+$/, 'kiem-tra'));
  await expect(page.getByRole('alert')).toContainText('Giấy tờ ly hôn hoặc giấy chứng tử');
  await expect(page.getByRole('button', { name: 'Nộp hồ sơ' })).toHaveCount(0);
  await page.locator('#buoc-giay-to-ly-hon').getByRole('link', { name: /^Thay đổi/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Giấy tờ ly hôn hoặc giấy chứng tử' })).toBeVisible();
  await page.getByLabel('Bản án, quyết định ly hôn hoặc giấy tờ chứng minh vợ/chồng đã chết', { exact: true })
    .setInputFiles(await smallPhoto(browser, 'quyet-dinh-ly-hon.jpg'));
  await page.getByRole('button', { name: 'Lưu và quay lại trang kiểm tra' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Kiểm tra lại câu trả lời' })).toBeVisible();
  await expect(page.locator('#buoc-giay-xac-nhan-cu')).toContainText('Không gửi');
  await expect(page.locator('#buoc-nguoi-yeu-cau')).toContainText('14/05/1992');
  await page.getByLabel(/Tôi cam đoan/).check();
  await page.getByRole('button', { name: 'Nộp hồ sơ' }).click();
  const code = (await page.locator('.receipt__code strong').textContent()).trim();
  await expect(page.locator('.receipt__code')).toContainText(code.split('-').join(' · '));

  // The desk finds it by the applicant's personal ID number.
  const intake = await officer(browser, testInfo, 'tiepnhan.giavien');
  await intake.getByLabel(/^Tìm theo mã hồ sơ/).fill('0371 9200 4321');
  await intake.getByRole('button', { name: 'Tìm' }).click();
  await expect(intake.getByRole('link', { name: code })).toBeVisible();
  await intake.context().close();
});

test('a citizen asks for someone else: the questions are about that person and the authorisation is required', async ({ page, browser }, testInfo) => {
  test.setTimeout(120_000);
  const phone = jsEnabled(testInfo) ? '0912001414' : '0912001515';
  await page.goto('/nop-ho-so/1.004873');
  await page.getByRole('button', { name: 'Bắt đầu' }).click();
  await signIn(page, phone);
  await page.getByLabel('UBND Xã Gia Viễn').check();
  await next(page);
  await page.getByLabel('Cho người khác, theo văn bản ủy quyền').check();
  await next(page);

  await expect(page.getByRole('heading', { level: 1, name: 'Người cần xác nhận' })).toBeVisible();
  await expect(page.getByText('Họ, chữ đệm và tên của bạn')).toHaveCount(0);
  await page.getByLabel('Họ, chữ đệm và tên của người cần xác nhận').fill('Phạm Văn Tùng');
  await fillDate(page, 'Ngày sinh của người cần xác nhận', '02/09/1990');
  await page.getByLabel('Nam', { exact: true }).check();
  await page.getByLabel('Số định danh cá nhân của người cần xác nhận').fill('037090005678');
  await page.getByLabel('Xã, phường').selectOption({ label: 'Xã Gia Viễn' });
  await page.getByLabel('Số nhà, đường phố hoặc thôn, xóm').fill('Thôn Nam');
  await next(page);

  // The citizen who files says who they are.
  await expect(page.getByRole('heading', { level: 1, name: 'Người được ủy quyền' })).toBeVisible();
  await page.getByLabel('Họ, chữ đệm và tên của bạn').fill('Phạm Thị Lan');
  await page.getByLabel('Số định danh cá nhân của bạn').fill('037192008765');
  await next(page);
  await page.getByLabel('Không cần xác minh').check();
  await next(page);
  await page.getByLabel('Chưa đăng ký kết hôn với ai').check();
  await page.getByLabel('Người cần xác nhận dùng giấy xác nhận để làm gì?').fill('Để đăng ký kết hôn');
  await page.getByLabel('Số bản cần cấp').fill('1');
  await next(page);
  await next(page);

  // The authorisation cannot be skipped.
  await expect(page.getByRole('heading', { level: 1, name: 'Văn bản ủy quyền' })).toBeVisible();
  await next(page);
  await expect(page.getByRole('alert')).toContainText('Vui lòng tải lên');
  await uploadDocument(page, testInfo, page.getByLabel('Văn bản ủy quyền có chứng thực', { exact: true }),
    await smallPhoto(browser, 'uy-quyen.jpg'));
  await next(page);

  await expect(page.getByRole('heading', { level: 1, name: 'Kiểm tra lại câu trả lời' })).toBeVisible();
  await expect(page.locator('#buoc-nguoi-yeu-cau')).toContainText('Họ, chữ đệm và tên của người cần xác nhận');
  await expect(page.locator('#buoc-nguoi-duoc-uy-quyen')).toContainText('Phạm Thị Lan');
  await page.getByLabel(/Tôi cam đoan/).check();
  await page.getByRole('button', { name: 'Nộp hồ sơ' }).click();
  const code = (await page.locator('.receipt__code strong').textContent()).trim();

  // The desk reads the same words, and has the letter.
  const intake = await officer(browser, testInfo, 'tiepnhan.giavien');
  await intake.goto(`/can-bo/ho-so/${code}`);
  await expect(intake.getByText('Số định danh cá nhân của người cần xác nhận')).toBeVisible();
  await expect(intake.getByText('Văn bản ủy quyền có chứng thực').first()).toBeVisible();
  await expectNoHorizontalScroll(page);
  await intake.context().close();
});
