// A citizen rates a returned dossier and the rating appears in the public statistics and the
// leader's dashboard, which leads to the dossier; the CSV files hold exactly the page's table.
// With JavaScript on and off.
const { test, expect } = require('@playwright/test');
const { jsEnabled, expectNoHorizontalScroll, expectAccessible, fillDate } = require('./helpers');
const { smallPhoto, fileBirthRegistration } = require('./citizen');
const { officer, actionForm } = require('./staff');

function vietnamToday() {
  return new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 10);
}

/** The table as text: the header row, then each body and total row, cell by cell. */
async function tableCells(page) {
  const table = page.locator('table.stats-table');
  const rows = [await table.locator('thead tr th').allTextContents()];
  for (const row of await table.locator('tbody tr, tfoot tr').all()) {
    rows.push(await row.locator('th, td').allTextContents());
  }
  return rows.map((cells) => cells.map((c) => c.trim()));
}

async function totalOf(page, column) {
  const [header, ...rows] = await tableCells(page);
  return Number(rows[rows.length - 1][header.indexOf(column)]);
}

/** RFC 4180 records (quoted fields may hold commas). */
function parseCsv(text) {
  const records = [];
  let record = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 1; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { record.push(field); field = ''; }
    else if (c === '\n') { record.push(field.replace(/\r$/, '')); records.push(record); record = []; field = ''; }
    else field += c;
  }
  if (field || record.length) { record.push(field); records.push(record); }
  return records;
}

test('a rating given at hand-over appears in the statistics', async ({ page, browser }, testInfo) => {
  test.setTimeout(180_000);
  const js = jsEnabled(testInfo);
  const level = js ? 'Rất hài lòng' : 'Không hài lòng';
  const phone = js ? '0912000909' : '0912000919';
  const code = await fileBirthRegistration(page, browser, phone);

  const intake = await officer(browser, testInfo, 'tiepnhan.giavien');
  await intake.goto(`/can-bo/ho-so/${code}`);
  await (await actionForm(intake, 'Tiếp nhận hồ sơ')).getByRole('button', { name: 'Tiếp nhận hồ sơ' }).click();
  const processing = await officer(browser, testInfo, 'xuly.giavien');
  await processing.goto(`/can-bo/ho-so/${code}`);
  const result = await actionForm(processing, 'Đã có kết quả');
  await result.getByLabel('Tệp kết quả (ảnh chụp hoặc PDF)').setInputFiles(await smallPhoto(browser, 'ket-qua.jpg'));
  await result.getByRole('button', { name: 'Đã có kết quả' }).click();
  await expect(processing.getByRole('status')).toContainText('Đã thực hiện');
  await intake.reload();
  const handOver = await actionForm(intake, 'Trả kết quả');
  await handOver.getByLabel('Tại bộ phận một cửa').check();
  await handOver.getByRole('button', { name: 'Trả kết quả' }).click();
  await expect(intake.getByRole('status')).toContainText('Đã thực hiện');

  const today = vietnamToday();
  const statsUrl = `/thong-ke?tu=${today}&den=${today}&co-quan=DEMO.NB.03`;
  const visitor = await (await browser.newContext({ ...testInfo.project.use })).newPage();
  await visitor.goto(statsUrl);
  const before = await totalOf(visitor, level);

  await page.goto(`/ho-so-cua-toi/${code}`);
  const survey = page.locator('#danh-gia');
  await expect(survey.getByRole('heading', { name: 'Đánh giá mức độ hài lòng' })).toBeVisible();
  await survey.getByRole('radio', { name: level }).check();
  if (!js) {
    await survey.getByRole('button', { name: 'Gửi đánh giá' }).click();
    await expect(page.getByRole('alert')).toContainText('Cho biết vì sao bạn không hài lòng');
    await expect(page.getByRole('radio', { name: level })).toBeChecked();
    await page.getByLabel(/Lý do/).fill('Phải chờ lâu ở quầy');
  }
  await page.getByRole('button', { name: 'Gửi đánh giá' }).click();
  await expect(page.getByText('Cảm ơn bạn đã đánh giá.')).toBeVisible();
  await expect(page.locator('#danh-gia')).toContainText(level);
  await expectNoHorizontalScroll(page);

  await visitor.goto(statsUrl);
  expect(await totalOf(visitor, level)).toBe(before + 1);
  await expect(visitor.getByRole('heading', { level: 1, name: 'Thống kê giải quyết hồ sơ' })).toBeVisible();
  await expectNoHorizontalScroll(visitor);
  if (js) await expectAccessible(visitor);

  const leader = await officer(browser, testInfo, 'lanhdao.giavien');
  await leader.getByRole('link', { name: 'Thống kê', exact: true }).click();
  const typedToday = today.split('-').reverse().join('/');
  await fillDate(leader, 'Từ ngày', typedToday);
  await fillDate(leader, 'Đến ngày', typedToday);
  await leader.getByRole('button', { name: 'Xem thống kê' }).click();
  const [header] = await tableCells(leader);
  // The number is far right in a table that scrolls sideways: reach it with the keyboard.
  await leader.locator('table.stats-table tfoot td').nth(header.indexOf(level) - 1).getByRole('link').press('Enter');
  await expect(leader.getByRole('heading', { level: 1 })).toContainText(level);
  await expect(leader.getByRole('link', { name: code })).toBeVisible();
  await expectNoHorizontalScroll(leader);
  if (js) await expectAccessible(leader);
});

test('the CSV files hold the same figures as the page', async ({ page, browser }, testInfo) => {
  // The leader's sign-in waits for an authenticator step no other test's sign-in used.
  test.setTimeout(120_000);
  // Last month: the demo history is there and no other test changes it.
  const now = new Date(Date.now() + 7 * 3600 * 1000);
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 10);
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0)).toISOString().slice(0, 10);
  for (const slice of ['co-quan', 'thu-tuc']) {
    await page.goto(`/thong-ke?tu=${first}&den=${last}&theo=${slice}`);
    const onPage = await tableCells(page);
    expect(onPage.length).toBeGreaterThan(3);
    expect(Number(onPage[onPage.length - 1][1])).toBeGreaterThan(0);
    const href = await page.getByRole('link', { name: 'Tải bảng số liệu (CSV)' }).getAttribute('href');
    const reply = await page.request.get(href);
    expect(reply.headers()['content-type']).toBe('text/csv; charset=utf-8');
    const csv = parseCsv((await reply.text()).replace(/^\uFEFF/, ''));
    expect(csv).toEqual(onPage);
  }
  await expectNoHorizontalScroll(page);

  const leader = await officer(browser, testInfo, 'lanhdao.giavien');
  await leader.goto(`/can-bo/thong-ke?tu=${first}&den=${last}&theo=thang`);
  const onDashboard = await tableCells(leader);
  const href = await leader.getByRole('link', { name: 'Tải bảng số liệu (CSV)' }).getAttribute('href');
  const csv = parseCsv((await (await leader.request.get(href)).text()).replace(/^\uFEFF/, ''));
  expect(csv).toEqual(onDashboard);
});
