// One dossier from online submission through the officer desk to return by post: acceptance,
// a supplement request the citizen answers from the phone, processing, forwarding to another
// agency, the result, and return by post; the control sheet shows every step with who and why.
// With JavaScript on and off.
const { test, expect } = require('@playwright/test');
const { jsEnabled, expectNoHorizontalScroll, expectAccessible, uploadDocument, fillDate } = require('./helpers');
const { smsLines, smallPhoto, scannedPdf, fileBirthRegistration, fillBirthRegistration } = require('./citizen');
const { officer, actionForm } = require('./staff');

async function findDossier(page, code) {
  await page.getByLabel('Tìm theo mã hồ sơ, tên người nộp hoặc số điện thoại').fill(code);
  await page.getByRole('button', { name: 'Tìm' }).click();
  await page.getByRole('link', { name: code }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Hồ sơ ${code}` })).toBeVisible();
}

test('a dossier goes from online submission through the desk to return by post', async ({ page, browser }, testInfo) => {
  test.setTimeout(180_000);
  const js = jsEnabled(testInfo);
  const phone = js ? '0912000303' : '0912000404';
  const code = await fileBirthRegistration(page, browser, phone);

  // Intake finds the new dossier, checks it, accepts it.
  const intake = await officer(browser, testInfo, 'tiepnhan.giavien');
  await expect(intake.getByRole('link', { name: /Mới nộp trực tuyến/ })).toBeVisible();
  await findDossier(intake, code);
  await expectNoHorizontalScroll(intake);
  if (js) await expectAccessible(intake);
  // Evidence first: the answers and a preview of the photo come before the actions on a phone,
  // and beside them on a desk screen.
  const evidence = intake.getByRole('heading', { level: 2, name: 'Tờ khai' });
  const actions = intake.getByRole('heading', { level: 2, name: 'Thao tác' });
  await expect(intake.locator('.file-preview img').first()).toBeVisible();
  expect((await evidence.boundingBox()).y).toBeLessThan((await actions.boundingBox()).y);
  await intake.setViewportSize({ width: 1280, height: 800 });
  expect((await actions.boundingBox()).x).toBeGreaterThan((await evidence.boundingBox()).x + 500);
  await expectNoHorizontalScroll(intake);
  await intake.setViewportSize({ width: 360, height: 740 });
  await expect(intake.locator('summary', { hasText: 'Từ chối tiếp nhận' })).toHaveCSS('color', 'rgb(179, 38, 30)');
  await (await actionForm(intake, 'Tiếp nhận hồ sơ')).getByRole('button', { name: 'Tiếp nhận hồ sơ' }).click();
  await expect(intake.getByRole('status')).toContainText('Đã tiếp nhận hồ sơ');

  // A supplement request without naming a document is explained, the reason kept.
  let form = await actionForm(intake, 'Yêu cầu bổ sung');
  await form.getByLabel(/Nội dung cần bổ sung/).fill('Ảnh giấy chứng sinh bị mờ, chụp lại rõ số');
  await form.getByRole('button', { name: 'Yêu cầu bổ sung' }).click();
  await expect(intake.getByRole('alert')).toContainText('Chọn ít nhất một giấy tờ cần bổ sung');
  form = intake.locator('details.action[open]');
  await expect(form.getByLabel(/Nội dung cần bổ sung/)).toHaveValue('Ảnh giấy chứng sinh bị mờ, chụp lại rõ số');
  await form.getByLabel('Ảnh hoặc bản PDF Giấy chứng sinh').check();
  await form.getByRole('button', { name: 'Yêu cầu bổ sung' }).click();
  await expect(intake.getByText('Đang chờ công dân bổ sung')).toBeVisible();

  // The citizen supplements from the phone through the same steps.
  await page.goto(`/ho-so-cua-toi/${code}`);
  await expect(page.getByRole('heading', { name: 'Cơ quan yêu cầu bổ sung hồ sơ' })).toBeVisible();
  await expect(page.getByText('Ảnh giấy chứng sinh bị mờ, chụp lại rõ số').first()).toBeVisible();
  await page.getByRole('link', { name: 'Bổ sung hồ sơ' }).click();
  await expect(page.getByText('Bước 1/2')).toBeVisible();
  await uploadDocument(page, testInfo, page.getByLabel('Ảnh hoặc bản PDF Giấy chứng sinh'), scannedPdf('ban-quet.pdf'));
  await page.getByRole('button', { name: 'Tiếp tục' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Kiểm tra giấy tờ bổ sung' })).toBeVisible();
  await page.getByRole('button', { name: 'Gửi giấy tờ bổ sung' }).click();
  await expect(page.getByRole('status')).toContainText('Đã gửi giấy tờ bổ sung');
  await expectNoHorizontalScroll(page);

  // Processing forwards it to the provincial centre with a deadline for that step.
  const processing = await officer(browser, testInfo, 'xuly.giavien');
  await processing.getByRole('link', { name: /Đang xử lý/ }).click();
  await processing.getByRole('link', { name: code }).click();
  await expect(processing.getByText('(bổ sung)')).toBeVisible();
  // The scanned PDF shows its first page, drawn by the portal.
  const firstPage = processing.locator('.file-preview img[src$="/trang-dau"]');
  await expect(firstPage).toBeVisible();
  const drawn = await processing.request.get(await firstPage.getAttribute('src'));
  expect(drawn.headers()['content-type']).toBe('image/png');
  await firstPage.scrollIntoViewIfNeeded();
  await expect.poll(() => firstPage.evaluate((img) => img.complete && img.naturalWidth > 0)).toBe(true);
  form = await actionForm(processing, 'Chuyển cơ quan khác');
  await form.getByLabel('Chuyển đến cơ quan').selectOption({ label: 'Trung tâm Phục vụ hành chính công tỉnh Ninh Bình (minh hoạ)' });
  await fillDate(form, 'Hạn xử lý của cơ quan nhận', '31/12/2099');
  await form.getByLabel(/^Ghi chú/).fill('Đề nghị cấp bản sao trích lục');
  await form.getByRole('button', { name: /Chuyển cơ quan khác/ }).click();
  await expect(processing.getByRole('status')).toContainText('Đã thực hiện');

  // The centre uploads the result.
  const centre = await officer(browser, testInfo, 'xuly.tinh');
  await findDossier(centre, code);
  form = await actionForm(centre, 'Đã có kết quả');
  await form.getByLabel('Tệp kết quả (ảnh chụp hoặc PDF)').setInputFiles(await smallPhoto(browser, 'trich-luc.jpg'));
  await form.getByRole('button', { name: 'Đã có kết quả' }).click();
  await expect(centre.getByRole('status')).toContainText('Đã thực hiện');

  // The desk returns it by post.
  await intake.goto('/can-bo?hang=cho-tra');
  await intake.getByRole('link', { name: code }).click();
  form = await actionForm(intake, 'Trả kết quả');
  await form.getByLabel('Qua dịch vụ bưu chính công ích').check();
  await form.getByLabel('Địa chỉ nhận kết quả').fill('Thôn Đông, xã Gia Viễn');
  await form.getByLabel('Mã bưu gửi').fill('EA123456789VN');
  await form.getByRole('button', { name: 'Trả kết quả' }).click();
  await expect(intake.getByRole('status')).toContainText('Đã thực hiện');

  // The control sheet shows every step with who did it and why.
  await intake.getByRole('link', { name: /Phiếu kiểm soát/ }).click();
  const sheet = intake.locator('table.sheet');
  for (const text of [
    'Nộp hồ sơ', 'Tiếp nhận hồ sơ', 'Nguyễn Thị Lan (minh hoạ)', 'Ảnh giấy chứng sinh bị mờ, chụp lại rõ số',
    'Công dân (trực tuyến)', 'Trần Văn Minh (minh hoạ)', 'Đề nghị cấp bản sao trích lục', '31/12/2099',
    'Lê Thu Hà (minh hoạ)', 'EA123456789VN', 'Đã trả kết quả',
  ]) {
    await expect(sheet).toContainText(text);
  }
  await expect(sheet.locator('tbody tr')).toHaveCount(7);
  await expectNoHorizontalScroll(intake);
  if (js) await expectAccessible(intake);

  // The citizen was told of each change.
  await page.goto(`/ho-so-cua-toi/${code}`);
  await expect(page.getByText('Đã trả kết quả').first()).toBeVisible();
  await expect.poll(() => smsLines(phone).some((line) => line.includes('EA123456789VN'))).toBe(true);
});

test('an officer files at the counter for a walk-in citizen, who gets the receipt by SMS', async ({ browser }, testInfo) => {
  test.setTimeout(120_000);
  const phone = jsEnabled(testInfo) ? '0912000505' : '0912000606';
  const intake = await officer(browser, testInfo, 'tiepnhan.giavien');
  await intake.getByRole('link', { name: 'Nộp thay tại quầy' }).click();
  await intake.getByLabel('Số điện thoại di động của công dân').fill('0912 000');
  await intake.getByLabel('Thủ tục').selectOption({ label: 'Đăng ký khai sinh (1.001193)' });
  await intake.getByRole('button', { name: 'Bắt đầu nhập hồ sơ' }).click();
  await expect(intake.getByRole('alert')).toContainText('gồm 10 chữ số');
  await expect(intake.getByLabel('Thủ tục')).toHaveValue('1.001193');
  await intake.getByLabel('Số điện thoại di động của công dân').fill(phone);
  await intake.getByRole('button', { name: 'Bắt đầu nhập hồ sơ' }).click();
  // The officer confirms checking the citizen's identity papers, and the dossier records it.
  await expect(intake.getByRole('alert')).toContainText('Đối chiếu thẻ Căn cước');
  await expect(intake.getByLabel('Số điện thoại di động của công dân')).toHaveValue(phone);
  await intake.getByLabel('Tôi đã đối chiếu thẻ Căn cước').check();
  await intake.getByRole('button', { name: 'Bắt đầu nhập hồ sơ' }).click();
  await fillBirthRegistration(intake, browser);
  await expect(intake.getByRole('heading', { level: 1, name: /^Hồ sơ DEMO\.NB\.03-/ })).toBeVisible();
  await expect(intake.getByText('Cán bộ hỗ trợ nộp')).toBeVisible();
  await expect(intake.getByText('Tại quầy (cán bộ đã đối chiếu giấy tờ tùy thân)')).toBeVisible();
  await expect(intake.getByText('Được tiếp nhận').first()).toBeVisible();
  const code = (await intake.locator('h1 .receipt__code').textContent()).trim();
  await intake.getByRole('link', { name: 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả' }).click();
  await expect(intake.getByRole('heading', { level: 1, name: 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả' })).toBeVisible();
  // The slip carries what the regulation's form asks for.
  const slip = intake.locator('main');
  for (const text of [
    'Trụ sở UBND Xã Gia Viễn (địa chỉ minh hoạ)', '0229 000 0103 (số minh hoạ)', 'Ngày hẹn trả kết quả',
    'Nguyễn Thị Lan (minh hoạ) (nộp thay tại quầy)', 'Tại nơi nộp hồ sơ: Trụ sở UBND Xã Gia Viễn',
  ]) {
    await expect(slip).toContainText(text);
  }
  await expect(intake.locator('.slip-documents li', { hasText: 'Giấy chứng sinh' })).toContainText('tệp đã gửi: 1');
  await expectNoHorizontalScroll(intake);
  await expect.poll(() => smsLines(phone).some((line) => line.includes(code))).toBe(true);
});

test('the desk enters a dossier that came by post, and the register lists it on the page and in the CSV', async ({ browser }, testInfo) => {
  test.setTimeout(120_000);
  const js = jsEnabled(testInfo);
  const phone = js ? '0912000707' : '0912000808';
  const intake = await officer(browser, testInfo, 'tiepnhan.giavien');
  await intake.getByRole('link', { name: 'Nộp thay tại quầy' }).click();
  await intake.getByLabel('Số điện thoại di động của công dân').fill(phone);
  await intake.getByLabel('Thủ tục').selectOption({ label: 'Đăng ký kết hôn có yếu tố nước ngoài (2.000806)' });
  await intake.getByLabel('Hồ sơ gửi qua bưu chính (nhập thay công dân)').check();
  await intake.getByRole('button', { name: 'Bắt đầu nhập hồ sơ' }).click();
  await expect(intake.getByRole('alert')).toContainText('Thủ tục này không nhận hồ sơ qua bưu chính');
  await expect(intake.getByLabel('Thủ tục')).toHaveValue('2.000806');
  await expect(intake.getByLabel('Hồ sơ gửi qua bưu chính (nhập thay công dân)')).toBeChecked();

  await intake.getByLabel('Thủ tục').selectOption({ label: 'Đăng ký khai sinh (1.001193)' });
  await intake.getByRole('button', { name: 'Bắt đầu nhập hồ sơ' }).click();
  await fillBirthRegistration(intake, browser);
  await expect(intake.getByRole('heading', { level: 1, name: /^Hồ sơ DEMO\.NB\.03-/ })).toBeVisible();
  const code = (await intake.locator('h1 .receipt__code').textContent()).trim();
  await expect(intake.locator('dl.answers').first()).toContainText('Bưu chính');
  await expect(intake.getByText('(nhận qua bưu chính)').first()).toBeVisible();

  await intake.getByRole('link', { name: 'Sổ theo dõi hồ sơ' }).click();
  await expect(intake.getByRole('heading', { level: 1, name: 'Sổ theo dõi hồ sơ' })).toBeVisible();
  const row = intake.locator('table.register-table tbody tr', { has: intake.getByRole('link', { name: code }) });
  await expect(row).toContainText('Đăng ký khai sinh (1.001193)');
  await expect(row).toContainText('Bưu chính');
  await expect(row).toContainText('Được tiếp nhận');
  await expectNoHorizontalScroll(intake);
  if (js) await expectAccessible(intake);

  const csvUrl = await intake.getByRole('link', { name: 'Tải sổ về (tệp CSV)' }).getAttribute('href');
  const csv = await intake.request.get(csvUrl);
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toContain('text/csv');
  const line = (await csv.text()).split('\n').find((l) => l.includes(code));
  expect(line).toContain('Bưu chính');

  // A period ending before it starts is explained and what was typed is kept.
  await fillDate(intake, 'Từ ngày', '01/01/2099');
  await intake.getByRole('button', { name: 'Xem sổ' }).click();
  await expect(intake.getByRole('alert')).toContainText('Ngày bắt đầu phải trước hoặc bằng ngày kết thúc');
  await expect(intake.getByRole('group', { name: 'Từ ngày' }).getByLabel('Năm', { exact: true })).toHaveValue('2099');
});

test('refusing a dossier asks for a reason and a tick that the officer means it', async ({ page, browser }, testInfo) => {
  test.setTimeout(120_000);
  const phone = jsEnabled(testInfo) ? '0912000515' : '0912000516';
  const code = await fileBirthRegistration(page, browser, phone);
  const intake = await officer(browser, testInfo, 'tiepnhan.giavien');
  await intake.goto(`/can-bo/ho-so/${code}`);
  let refuse = await actionForm(intake, 'Từ chối tiếp nhận');
  await expect(refuse.getByRole('button', { name: 'Từ chối tiếp nhận' })).toHaveClass(/button--danger/);
  await refuse.getByLabel(/Lý do/).fill('Thủ tục thuộc thẩm quyền cấp tỉnh');
  await refuse.getByRole('button', { name: 'Từ chối tiếp nhận' }).click();
  await expect(intake.getByRole('alert')).toContainText('Đánh dấu xác nhận');
  refuse = await actionForm(intake, 'Từ chối tiếp nhận');
  await expect(refuse.getByLabel(/Lý do/)).toHaveValue('Thủ tục thuộc thẩm quyền cấp tỉnh');
  await refuse.getByLabel('Tôi đã kiểm tra và xác nhận từ chối tiếp nhận hồ sơ này').check();
  await refuse.getByRole('button', { name: 'Từ chối tiếp nhận' }).click();
  await expect(intake.getByRole('status')).toContainText('Đã thực hiện: Từ chối tiếp nhận');
  await intake.context().close();
});

test('a busy queue is paged and sorted, with its total, and the staff header has only staff links', async ({ browser }, testInfo) => {
  const intake = await officer(browser, testInfo, 'tiepnhan.giavien');
  await expect(intake.getByRole('link', { name: 'Đăng nhập', exact: true })).toHaveCount(0);
  await intake.getByRole('link', { name: /^Đã trả kết quả/ }).click();
  const showing = intake.locator('.list-count');
  await expect(showing).toHaveText(/^Hiển thị 1–50 trong \d+ hồ sơ$/);
  const total = Number((await showing.textContent()).match(/trong (\d+)/)[1]);
  expect(total).toBeGreaterThan(200);
  const codes = async () => intake.locator('.card__title a').allTextContents();
  const first = await codes();
  expect(first).toHaveLength(50);
  await expect(intake.getByText(`Trang 1/${Math.ceil(total / 50)}`)).toBeVisible();
  await intake.getByRole('link', { name: 'Trang sau ›' }).click();
  await expect(showing).toHaveText(`Hiển thị 51–100 trong ${total} hồ sơ`);
  const second = await codes();
  expect(second.filter((code) => first.includes(code))).toEqual([]);
  await intake.getByRole('link', { name: '‹ Trang trước' }).click();
  await expect(showing).toHaveText(`Hiển thị 1–50 trong ${total} hồ sơ`);

  await intake.getByLabel('Sắp xếp theo').selectOption({ label: 'Nhận lâu nhất trước' });
  await intake.getByRole('button', { name: 'Sắp xếp', exact: true }).click();
  await expect(intake.getByLabel('Sắp xếp theo')).toHaveValue('cu-nhat');
  const received = (await intake.locator('.card__meta').allTextContents())
    .map((meta) => meta.match(/nhận (\d\d)\/(\d\d)\/(\d{4})/).slice(1).reverse().join('-'));
  expect(received).toEqual([...received].sort());
  await expectNoHorizontalScroll(intake);
  if (jsEnabled(testInfo)) await expectAccessible(intake);
});

test('an administrator creates an account whose temporary password must be changed', async ({ browser }, testInfo) => {
  const username = jsEnabled(testInfo) ? 'e2e.js' : 'e2e.nojs';
  const admin = await officer(browser, testInfo, 'quantri');
  await admin.getByRole('link', { name: 'Quản trị' }).click();
  await expect(admin.getByRole('heading', { level: 1, name: 'Tài khoản cán bộ' })).toBeVisible();
  await admin.getByLabel('Tên đăng nhập').fill(username);
  await admin.getByLabel('Họ và tên').fill('Cán bộ thử nghiệm');
  await admin.getByLabel('Cơ quan').selectOption({ label: 'UBND Xã Gia Viễn' });
  await admin.getByLabel('Tiếp nhận, trả kết quả').check();
  await admin.getByRole('button', { name: 'Tạo tài khoản' }).click();
  const notice = await admin.getByRole('status').textContent();
  const password = notice.match(/Mật khẩu tạm: ([a-z0-9]{12})/)[1];
  await expectNoHorizontalScroll(admin);
  if (jsEnabled(testInfo)) await expectAccessible(admin);

  const context = await browser.newContext({ ...testInfo.project.use });
  const newcomer = await context.newPage();
  await newcomer.goto('/can-bo/dang-nhap');
  await newcomer.getByLabel('Tên đăng nhập').fill(username);
  await newcomer.getByLabel('Mật khẩu').fill(password);
  await newcomer.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(newcomer.getByRole('heading', { level: 1, name: 'Đổi mật khẩu' })).toBeVisible();
  await newcomer.getByLabel(/Mật khẩu hiện tại/).fill(password);
  await newcomer.getByLabel('Mật khẩu mới', { exact: true }).fill('ngan');
  await newcomer.getByLabel('Nhập lại mật khẩu mới').fill('ngan');
  await newcomer.getByRole('button', { name: 'Đổi mật khẩu' }).click();
  await expect(newcomer.getByRole('alert')).toContainText('ít nhất 10 ký tự');
  await newcomer.getByLabel(/Mật khẩu hiện tại/).fill(password);
  await newcomer.getByLabel('Mật khẩu mới', { exact: true }).fill('mot cau de nho cua toi');
  await newcomer.getByLabel('Nhập lại mật khẩu mới').fill('mot cau de nho cua toi');
  await newcomer.getByRole('button', { name: 'Đổi mật khẩu' }).click();
  await expect(newcomer.getByRole('status')).toContainText('Đã đổi mật khẩu');
  await expect(newcomer.getByRole('heading', { level: 1, name: 'Hồ sơ của cơ quan' })).toBeVisible();
});

test('an officer of another commune cannot open the dossier', async ({ browser }, testInfo) => {
  const other = await officer(browser, testInfo, 'canbo.hoalu');
  const response = await other.goto('/can-bo/ho-so/DEMO.NB.03-260101-0001');
  expect(response.status()).toBe(404);
  await expect(other.getByRole('heading', { level: 1, name: 'Không tìm thấy hồ sơ' })).toBeVisible();
});

test('a wrong staff password is explained and the name kept', async ({ page }) => {
  await page.goto('/can-bo/dang-nhap');
  await page.getByLabel('Tên đăng nhập').fill('khong.co.ai');
  await page.getByLabel('Mật khẩu').fill('sai');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(page.getByRole('alert')).toContainText('Tên đăng nhập hoặc mật khẩu không đúng');
  await expect(page.getByLabel('Tên đăng nhập')).toHaveValue('khong.co.ai');
  await expectNoHorizontalScroll(page);
});
