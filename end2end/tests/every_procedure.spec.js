// Every online procedure can be filed: one without an authored form is filed with the form
// derived from its catalog data; a procedure's cases decide its time limit; the fee is
// computed for the copies asked. With JavaScript on and off.
const { test, expect } = require('@playwright/test');
const { jsEnabled, expectNoHorizontalScroll, fillDate, uploadDocument } = require('./helpers');
const { signIn, smallPhoto } = require('./citizen');
const { officer, actionForm, expectCountedAsPaidOnline } = require('./staff');

async function next(page) {
  await page.getByRole('button', { name: 'Tiếp tục', exact: true }).click();
}

/** Starts filing `code` as the citizen with this phone, signing in on the way. */
async function start(page, code, phone) {
  await page.goto(`/nop-ho-so/${code}`);
  await page.getByRole('button', { name: 'Bắt đầu' }).click();
  const heading = page.getByRole('heading', { level: 1 });
  await expect(heading).toHaveText(/^(Đăng nhập|Nơi nộp hồ sơ)$/);
  if ((await heading.textContent()) === 'Đăng nhập') {
    await signIn(page, phone);
  }
  await page.getByLabel('UBND Xã Gia Viễn').check();
  await next(page);
}

/** The derived form's first page: the applicant, filing for themself. */
async function applicant(page, phone) {
  await expect(page.getByRole('heading', { level: 1, name: 'Người nộp hồ sơ' })).toBeVisible();
  await page.getByLabel('Họ, chữ đệm và tên của bạn').fill('Phạm Văn Hùng');
  await page.getByLabel('Số định danh cá nhân của bạn').fill('037090004321');
  await page.getByLabel('Số điện thoại di động của bạn').fill(phone);
  await page.getByLabel('Xã, phường').selectOption({ label: 'Xã Gia Viễn' });
  await page.getByLabel('Số nhà, đường phố hoặc thôn, xóm').fill('Thôn Tây');
  await page.getByLabel('Cho bản thân tôi').check();
  await next(page);
}

async function upload(page, browser, testInfo, label) {
  await uploadDocument(page, testInfo, page.getByLabel(label, { exact: true }), await smallPhoto(browser, 'giay-to.jpg'));
  await next(page);
}

async function submit(page) {
  await page.getByLabel(/Tôi cam đoan/).check();
  await page.getByRole('button', { name: 'Nộp hồ sơ' }).click();
  await expect(page.locator('.receipt__code strong')).toBeVisible();
}

test('a citizen files temporary residence, which has no authored form, from a phone with a photo', async ({ page, browser }, testInfo) => {
  test.setTimeout(90_000);
  const phone = jsEnabled(testInfo) ? '0912000611' : '0912000622';
  await start(page, '1.004194', phone);
  await applicant(page, phone);
  await expect(page.getByRole('heading', { level: 1, name: 'Tờ khai thay đổi thông tin cư trú' })).toBeVisible();
  await expect(page.getByText('Tải mẫu ở trang thủ tục')).toBeVisible();
  await next(page);
  await expect(page.getByRole('alert')).toContainText('Vui lòng tải lên');
  await upload(page, browser, testInfo, 'Tờ khai thay đổi thông tin cư trú (mẫu CT01)');
  // Optional: the proof of lawful residence may already be in the national database.
  await expect(page.getByRole('heading', { level: 1, name: 'Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp' })).toBeVisible();
  await next(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Cách nhận kết quả' })).toBeVisible();
  await page.getByLabel('Nhận qua bưu chính công ích tại địa chỉ của tôi').check();
  await next(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Địa chỉ nhận kết quả' })).toBeVisible();
  await page.getByLabel('Xã, phường').selectOption({ label: 'Xã Gia Viễn' });
  await page.getByLabel('Số nhà, đường phố hoặc thôn, xóm').fill('Số 5, thôn Tây');
  await next(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Kiểm tra lại câu trả lời' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Phí, lệ phí phải nộp' })).toContainText('Lệ phí: 7.000 đồng');
  await expect(page.getByText('Số 5, thôn Tây, Xã Gia Viễn')).toBeVisible();
  await expectNoHorizontalScroll(page);
  await submit(page);
  const code = (await page.locator('.receipt__code strong').textContent()).trim();
  expect(code).toMatch(/^DEMO\.NB\.03-\d{6}-\d{4}$/);

  // Sent, not yet checked: no appointment until intake accepts; then the receipt slip.
  await expect(page.getByRole('heading', { level: 1, name: 'Đã gửi hồ sơ, chờ cơ quan tiếp nhận' })).toBeVisible();
  await expect(page.getByText('Ngày hẹn trả kết quả', { exact: true })).toHaveCount(0);
  const intake = await officer(browser, testInfo, 'tiepnhan.giavien');
  await intake.goto(`/can-bo/ho-so/${code}`);
  await expect(intake.getByText('Lệ phí: 7.000 đồng')).toBeVisible();
  await (await actionForm(intake, 'Tiếp nhận hồ sơ')).getByRole('button', { name: 'Tiếp nhận hồ sơ' }).click();
  await expect(intake.getByRole('status')).toContainText('Đã tiếp nhận hồ sơ');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả' })).toBeVisible();
  await expect(page.locator('.facts').first().getByText('Ngày hẹn trả kết quả', { exact: true })).toBeVisible();

  // The desk asks for the form signed in ink; the citizen brings it to the counter.
  const ask = await actionForm(intake, 'Yêu cầu bổ sung');
  await ask.getByLabel(/Nội dung cần bổ sung/).fill('Tờ khai cần chữ ký của chủ hộ');
  await ask.getByLabel('Tờ khai thay đổi thông tin cư trú (mẫu CT01)').check();
  await ask.getByRole('button', { name: 'Yêu cầu bổ sung' }).click();
  await expect(intake.getByText('Đang chờ công dân bổ sung')).toBeVisible();
  const counter = await actionForm(intake, 'Nhận giấy tờ bổ sung tại quầy');
  await counter.getByLabel(/Ghi chú/).fill('Đã nhận tờ khai có chữ ký của chủ hộ');
  await counter.getByRole('button', { name: 'Nhận giấy tờ bổ sung tại quầy' }).click();
  await expect(intake.getByRole('status')).toContainText('Đã ghi nhận giấy tờ bổ sung nộp tại quầy');
  await expect(intake.getByText('Đang chờ công dân bổ sung')).toHaveCount(0);
  await expect(intake.getByText('Đã nhận tờ khai có chữ ký của chủ hộ')).toBeVisible();
  await intake.context().close();
});

test('the case chosen decides the time limit of a two-case procedure', async ({ page, browser }, testInfo) => {
  test.setTimeout(180_000);
  const phone = jsEnabled(testInfo) ? '0912000633' : '0912000644';
  const file = async (caseName) => {
    await start(page, '3.000722', phone);
    await applicant(page, phone);
    await expect(page.getByRole('heading', { level: 1, name: 'Trường hợp của bạn' })).toBeVisible();
    await expect(page.getByText('Cần xác minh: giải quyết trong 5 ngày làm việc')).toBeVisible();
    await next(page);
    await expect(page.getByRole('alert')).toContainText('Vui lòng chọn');
    await page.getByLabel(caseName, { exact: true }).check();
    await next(page);
    await upload(page, browser, testInfo, 'Tờ khai đăng ký khai sinh (phần đăng ký khai sinh của Tờ khai điện tử liên thông)');
    await upload(page, browser, testInfo, 'Tờ khai thay đổi thông tin cư trú (mẫu CT01), phần đăng ký thường trú');
    await upload(page, browser, testInfo, 'Giấy chứng sinh');
    await next(page);
    await page.getByLabel('Nhận tại nơi nộp hồ sơ').check();
    await next(page);
    await expect(page.getByText(caseName, { exact: true })).toBeVisible();
    await submit(page);
    return (await page.locator('.receipt__code strong').textContent()).trim();
  };
  const simple = await file('Không cần xác minh');
  const checked = await file('Cần xác minh');
  // The appointment is set when intake accepts: both at the same moment.
  const intake = await officer(browser, testInfo, 'tiepnhan.giavien');
  for (const code of [simple, checked]) {
    await intake.goto(`/can-bo/ho-so/${code}`);
    await (await actionForm(intake, 'Tiếp nhận hồ sơ')).getByRole('button', { name: 'Tiếp nhận hồ sơ' }).click();
    await expect(intake.getByRole('status')).toContainText('Đã tiếp nhận hồ sơ');
  }
  await intake.context().close();
  const dueOf = async (code) => {
    await page.goto(`/ho-so-cua-toi/${code}`);
    await expect(page.locator('.facts').first().getByText('Ngày hẹn trả kết quả', { exact: true })).toBeVisible();
    const [d, m, y] = (await page.locator('.facts dd strong').first().textContent()).trim().split('/');
    return new Date(`${y}-${m}-${d}`);
  };
  // Five working days instead of three: at least two days later.
  expect((await dueOf(checked)).getTime() - (await dueOf(simple)).getTime()).toBeGreaterThanOrEqual(2 * 24 * 3600 * 1000);
});

test('three copies of a civil-status extract cost three times the fee per copy, paid online at filing', async ({ page, browser }, testInfo) => {
  test.setTimeout(150_000);
  const phone = jsEnabled(testInfo) ? '0912000655' : '0912000666';
  await start(page, '2.000635', phone);
  await page.getByLabel('Họ, chữ đệm và tên của bạn').fill('Nguyễn Văn Bình');
  await page.getByLabel('Số định danh cá nhân của bạn').fill('037090001234');
  await page.getByLabel('Chính tôi').check();
  await next(page);
  await page.getByLabel('Khai sinh', { exact: true }).check();
  await page.getByLabel('Họ, chữ đệm và tên người có tên trong trích lục').fill('Nguyễn Văn Bình');
  await fillDate(page, 'Ngày sinh của người đó', '01/01/1990');
  await page.getByLabel('Nơi đã đăng ký').fill('UBND xã Gia Viễn');
  await page.getByLabel('Số bản sao cần cấp').fill('3');
  await next(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Kiểm tra lại câu trả lời' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Phí, lệ phí phải nộp' })).toContainText('Phí: 3 bản × 8.000 đồng = 24.000 đồng');

  // Paid at filing, online, through the demo gateway (VNPAY's signed protocol).
  await submit(page);
  const code = (await page.locator('.receipt__code strong').textContent()).trim();
  const pay = page.getByRole('region', { name: 'Thanh toán trực tuyến' });
  await expect(pay).toContainText('Phí (3 bản)');
  await expect(pay).toContainText('24.000 đồng');
  await expectNoHorizontalScroll(page);
  await pay.getByRole('button', { name: 'Thanh toán trực tuyến' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Cổng thanh toán DEMO/ })).toBeVisible();
  await page.getByRole('button', { name: /^Thanh toán thành công/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Đã thanh toán' })).toBeVisible();
  await page.getByRole('link', { name: 'Xem biên lai' }).click();
  await expect(page.locator('.receipt')).toContainText('24.000 đồng');
  await expect(page.locator('.receipt')).toContainText('Nguyễn Văn Bình');
  await page.goto(`/ho-so-cua-toi/${code}`);
  await expect(pay).toContainText('đã nộp 24.000 đồng');
  await expect(pay.getByRole('button', { name: 'Thanh toán trực tuyến' })).toHaveCount(0);
  const intake = await officer(browser, testInfo, 'tiepnhan.giavien');
  await intake.goto(`/can-bo/ho-so/${code}`);
  await expect(intake.getByText('Đã thanh toán trực tuyến').first()).toBeVisible();
  await intake.goto('/can-bo?hang=da-nop-phi-truc-tuyen');
  await expect(intake.getByRole('link', { name: code })).toBeVisible();
  await intake.context().close();
  await expectCountedAsPaidOnline(browser, testInfo, code);
});
