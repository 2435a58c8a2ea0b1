// What a citizen does in several flows: sign in with the code the development SMS channel
// writes to the server log, and file a complete birth registration.
const fs = require('fs');
const path = require('path');
const { expect } = require('@playwright/test');
const { fillDate, expectTapTargets } = require('./helpers');

/** The development SMS channel writes each message to the server log, number masked. */
function smsLines(phone) {
  const log = process.env.SERVER_LOG;
  if (!log) throw new Error('SERVER_LOG must name the server log file');
  const marker = `tới *******${phone.slice(-3)}:`;
  return fs.readFileSync(log, 'utf8').split('\n').filter((line) => line.includes(marker));
}

async function newestCode(phone, seenBefore) {
  for (let i = 0; i < 60; i += 1) {
    const lines = smsLines(phone);
    if (lines.length > seenBefore) return lines[lines.length - 1].match(/la (\d{6})/)[1];
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no sign-in code for ${phone} in the server log`);
}

async function signIn(page, phone) {
  await expect(page.getByRole('heading', { level: 1, name: 'Đăng nhập' })).toBeVisible();
  const seen = smsLines(phone).length;
  await page.getByLabel('Số điện thoại di động').fill(phone);
  await page.getByRole('button', { name: 'Gửi mã xác nhận' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Nhập mã xác nhận' })).toBeVisible();
  await expect(page.getByText(`*******${phone.slice(-3)}`)).toBeVisible();
  await page.getByLabel('Mã xác nhận').fill(await newestCode(phone, seen));
  await page.getByRole('button', { name: 'Xác nhận' }).click();
}

/** A small JPEG photo of a document (400×300, labelled "Ảnh minh hoạ"), read from a file: a
 * screenshot of a page drawn for it failed now and then ("Unable to capture screenshot") while
 * the browser was busy with the test's own pages. */
async function smallPhoto(browser, name) {
  const jpeg = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'giay-to-minh-hoa.jpg'));
  return { name, mimeType: 'image/jpeg', buffer: jpeg };
}

/** A scanned document as a PDF: the portal's own blank birth registration form. */
function scannedPdf(name) {
  const pdf = fs.readFileSync(path.join(__dirname, '..', '..', 'app', 'src', 'catalog', 'data', 'forms', 'to-khai-dang-ky-khai-sinh.pdf'));
  return { name, mimeType: 'application/pdf', buffer: pdf };
}

/** Files a complete birth registration at Xã Gia Viễn from a fresh phone; returns the code. */
async function fileBirthRegistration(page, browser, phone) {
  await page.goto('/nop-ho-so/1.001193');
  await page.getByRole('button', { name: 'Bắt đầu' }).click();
  await signIn(page, phone);
  await fillBirthRegistration(page, browser);
  await expect(page.getByRole('heading', { level: 1, name: 'Đã gửi hồ sơ, chờ cơ quan tiếp nhận' })).toBeVisible();
  return (await page.locator('.receipt__code strong').textContent()).trim();
}

/** The portal's own words on the filing pages (the form's questions stay Vietnamese). */
const PORTAL_TEXTS = {
  vi: {
    next: 'Tiếp tục', commune: 'Xã, phường', street: 'Số nhà, đường phố hoặc thôn, xóm', date: ['Ngày', 'Tháng', 'Năm'],
    declare: /Tôi cam đoan/, submit: 'Nộp hồ sơ',
  },
  en: {
    next: 'Continue', commune: 'Commune or ward', street: 'House number and street, or hamlet', date: ['Day', 'Month', 'Year'],
    declare: /I declare that/, submit: 'Submit the dossier',
  },
};

/** Answers every step of a birth registration from the first step, declares and submits;
 * `onPage` runs on every page before it is left. */
/**
 * `identity`: what the national digital identity asserted (name, idNumber, and commune and
 * street when its address is in the province); the applicant's answers must come pre-filled
 * with it, marked, and are not typed.
 */
async function fillBirthRegistration(page, browser, { lang = 'vi', onPage = async () => {}, identity = null } = {}) {
  const t = PORTAL_TEXTS[lang];
  const next = async () => {
    await onPage(page);
    await expectTapTargets(page);
    await page.getByRole('button', { name: t.next, exact: true }).click();
  };
  await page.getByLabel('UBND Xã Gia Viễn').check();
  await next();
  if (identity) {
    await expectFromIdentity(page.getByLabel('Họ, chữ đệm và tên của bạn'), identity.name);
    await expectFromIdentity(page.getByLabel('Số định danh cá nhân của bạn'), identity.idNumber);
  } else {
    await page.getByLabel('Họ, chữ đệm và tên của bạn').fill('Lò Thị Mai');
    await page.getByLabel('Số định danh cá nhân của bạn').fill('037190001234');
  }
  await page.getByLabel('Mẹ', { exact: true }).check();
  if (identity?.street) {
    await expect(page.getByLabel(t.commune).locator('option:checked')).toHaveText(identity.commune);
    await expect(page.getByLabel(t.street)).toHaveValue(identity.street);
  } else {
    await page.getByLabel(t.commune).selectOption({ label: 'Xã Gia Viễn' });
    await page.getByLabel(t.street).fill('Thôn Đông');
  }
  await next();
  await page.getByLabel('Họ, chữ đệm và tên của trẻ').fill('Lò Văn An');
  await page.getByLabel('Nam', { exact: true }).check();
  await fillDate(page, 'Ngày sinh của trẻ', '02/01/2026', t.date);
  await page.getByLabel('Nơi sinh của trẻ').fill('Trạm y tế xã Gia Viễn');
  await page.getByLabel('Dân tộc của trẻ').fill('Mường');
  await page.getByLabel('Việt Nam', { exact: true }).check();
  await next();
  await page.getByLabel('Họ, chữ đệm và tên của mẹ').fill('Lò Thị Mai');
  await fillDate(page, 'Ngày sinh của mẹ', '06/05/1990', t.date);
  await page.getByLabel('Số định danh cá nhân của mẹ').fill('037190001234');
  await next();
  await next();
  // The photo is chosen and "Tiếp tục" tapped straight away, without "Tải lên". Without
  // JavaScript it goes with the page; with, it is already being sent and "Tiếp tục" waits for it.
  await onPage(page);
  await expectTapTargets(page);
  await page.getByLabel('Ảnh hoặc bản PDF Giấy chứng sinh').setInputFiles(await smallPhoto(browser, 'giay-chung-sinh.jpg'));
  await page.getByRole('button', { name: t.next, exact: true }).click();
  await page.getByLabel('Bạn cần thêm bao nhiêu bản sao Trích lục khai sinh?').fill('1');
  await next();
  await onPage(page);
  if (identity) {
    // The check page says which answers came from the national identity.
    const applicant = page.locator('.check-section', { has: page.getByRole('heading', { name: 'Người đi đăng ký khai sinh' }) });
    await expect(applicant.locator('.identity-tag')).toHaveCount(identity.street ? 3 : 2);
    await expect(applicant.getByText(identity.name)).toBeVisible();
  }
  await page.getByLabel(t.declare).check();
  await page.getByRole('button', { name: t.submit }).click();
}

/** An answer pre-filled from the national digital identity, and marked so for every reader. */
async function expectFromIdentity(input, value) {
  await expect(input).toHaveValue(value);
  await expect(input).toHaveAccessibleDescription(/Lấy từ định danh điện tử \(VNeID\)/);
}

module.exports = { smsLines, newestCode, signIn, smallPhoto, scannedPdf, fileBirthRegistration, fillBirthRegistration };
