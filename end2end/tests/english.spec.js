// In English, the filing flow and the staff pages show no Vietnamese UI text: every Vietnamese
// word still on the page is content (procedure and agency names, the form's questions, what
// people typed, the audit trail), marked lang="vi" so that a screen reader reads it as
// Vietnamese. With JavaScript on and off.
const { test, expect } = require('@playwright/test');
const { jsEnabled, expectNoHorizontalScroll } = require('./helpers');
const { smsLines, newestCode, fillBirthRegistration } = require('./citizen');
const { secondFactorCode } = require('./totp');

const VIETNAMESE_LETTERS =
  '[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]';

/** Vietnamese text on the page outside content marked lang="vi": text and the attributes a
 * person reads or hears (aria-label, placeholder, title, alt). */
function vietnameseOutsideContent(page) {
  return page.evaluate((letters) => {
    const vietnamese = new RegExp(letters, 'i');
    const inContent = (element) => element.closest('[lang="vi"]') !== null;
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const element = node.parentElement;
      if (!element || element.closest('script, style, template, textarea')) continue;
      if (vietnamese.test(node.textContent) && !inContent(element)) found.push(node.textContent.trim());
    }
    for (const element of document.body.querySelectorAll('[aria-label], [placeholder], [title], [alt]')) {
      for (const name of ['aria-label', 'placeholder', 'title', 'alt']) {
        const value = element.getAttribute(name);
        if (value && vietnamese.test(value) && !inContent(element)) found.push(`${name}="${value}"`);
      }
    }
    return found;
  }, VIETNAMESE_LETTERS);
}

async function expectEnglishUi(page) {
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  expect(await vietnameseOutsideContent(page), `Vietnamese UI text on ${page.url()}`).toEqual([]);
}

/** Chooses English from the header's language links, then stays on the page. */
async function switchToEnglish(page) {
  await page.getByRole('link', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
}

test('in English, every page of the filing flow shows its UI in English', async ({ page, browser }, testInfo) => {
  test.setTimeout(120_000);
  const phone = jsEnabled(testInfo) ? '0912001212' : '0912001313';
  await page.goto('/nop-ho-so/1.001193');
  await switchToEnglish(page);
  await expect(page.getByRole('heading', { level: 1, name: 'File online: Đăng ký khai sinh' })).toBeVisible();
  await expectEnglishUi(page);
  await page.getByRole('button', { name: 'Start now' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expectEnglishUi(page);
  const seen = smsLines(phone).length;
  await page.getByLabel('Mobile number').fill(phone);
  await page.getByRole('button', { name: 'Send the code' }).click();
  await expect(page.getByLabel('Code')).toBeVisible();
  await expectEnglishUi(page);
  await page.getByLabel('Code').fill(await newestCode(phone, seen));
  await page.getByRole('button', { name: 'Confirm' }).click();

  await expect(page.getByText('Step 1 of 8')).toBeVisible();
  await fillBirthRegistration(page, browser, { lang: 'en', onPage: expectEnglishUi });
  await expect(page.locator('.receipt__code strong')).toHaveText(/^DEMO\.NB\.03-\d{6}-\d{4}$/);
  const code = (await page.locator('.receipt__code strong').textContent()).trim();
  await expectEnglishUi(page);
  await page.goto('/ho-so-cua-toi');
  await expect(page.locator('.card-list').last().locator('.card')).toHaveCount(1);
  await expectEnglishUi(page);

  // Anyone with the code and the phone's last digits follows it, in English too.
  const relative = await browser.newContext({ ...testInfo.project.use });
  const look = await relative.newPage();
  await look.goto(`/tra-cuu?ma=${encodeURIComponent(code)}`);
  await switchToEnglish(look);
  await expect(look.getByRole('heading', { level: 1, name: 'Track a dossier' })).toBeVisible();
  await expectEnglishUi(look);
  await look.getByLabel("Last 4 digits of the applicant's phone number").fill(phone.slice(-4));
  await look.getByRole('button', { name: 'Look up' }).click();
  await expect(look.getByRole('status')).toContainText('Submitted, awaiting intake');
  await expectEnglishUi(look);
  await relative.close();
});

/** Signs in to the desk in English with a demo account. */
async function officerInEnglish(page, username) {
  await page.goto('/can-bo');
  await switchToEnglish(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Staff sign-in' })).toBeVisible();
  await expectEnglishUi(page);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill('demo-mot-cua');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const heading = page.getByRole('heading', { level: 1 });
  await expect(heading).toHaveText(/Your agency's dossiers|Enter your security code|Two-step verification/);
  const asked = await heading.textContent();
  if (asked !== "Your agency's dossiers") {
    await expectEnglishUi(page);
    await secondFactorCode(page, username, asked === 'Two-step verification', 'en');
    await page.goto('/can-bo');
  }
  await expect(page.getByRole('heading', { level: 1, name: "Your agency's dossiers" })).toBeVisible();
  await expectEnglishUi(page);
}

test('in English, an officer signs in and works a dossier in English', async ({ page }) => {
  await officerInEnglish(page, 'tiepnhan.giavien');
  await page.getByRole('link', { name: /^In progress/ }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'In progress' })).toBeVisible();
  await expectEnglishUi(page);
  await expectNoHorizontalScroll(page);

  // One dossier: its facts, the actions open now (folded forms included), the audit trail.
  await page.locator('.card-list .card__title a').first().click();
  await expect(page.getByRole('heading', { level: 1, name: /^Dossier / })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Processing history' })).toBeVisible();
  await expectEnglishUi(page);
  await page.getByRole('link', { name: 'Process control sheet of the dossier' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Process control sheet of the dossier' })).toBeVisible();
  await expectEnglishUi(page);
  await page.getByRole('link', { name: 'Back to the dossier' }).click();
  const notice = page.getByRole('link', { name: 'Dossier receipt and appointment to return the result' });
  if (await notice.count()) {
    await notice.click();
    await expect(page.getByRole('heading', { level: 1, name: 'Dossier receipt and appointment to return the result' })).toBeVisible();
    await expectEnglishUi(page);
  }

  await page.goto('/can-bo/nop-thay');
  await expect(page.getByRole('heading', { level: 1, name: 'File a dossier with a citizen at the counter' })).toBeVisible();
  await page.getByLabel("The citizen's mobile number").fill('12345');
  await page.getByLabel('Procedure').selectOption({ index: 1 });
  await page.getByRole('button', { name: 'Start entering the dossier' }).click();
  await expect(page.getByRole('alert')).toContainText('A mobile number has 10 digits');
  await expectEnglishUi(page);
});

test('in English, a leader reads the statistics and the dossiers behind a number', async ({ page }) => {
  await officerInEnglish(page, 'lanhdao.giavien');
  await page.goto('/can-bo/thong-ke');
  await expect(page.getByRole('heading', { level: 1, name: 'Agency statistics' })).toBeVisible();
  await expectEnglishUi(page);
  await page.locator('.stats-table tfoot a').first().click();
  await expect(page.getByRole('heading', { level: 1, name: /: \d+ dossiers$/ })).toBeVisible();
  await expectEnglishUi(page);
  await page.goto('/thong-ke?theo=thang');
  await expect(page.getByRole('heading', { level: 1, name: 'Dossier statistics' })).toBeVisible();
  await expectEnglishUi(page);
});

test('in English, an administrator reads every administration page in English', async ({ page }) => {
  await officerInEnglish(page, 'quantri');
  for (const [path, heading] of [
    ['/can-bo/quan-tri/can-bo', 'Staff accounts'],
    ['/can-bo/quan-tri/co-quan', 'Agencies'],
    ['/can-bo/quan-tri/lich', /^Holidays and worked days in \d{4}$/],
    ['/can-bo/quan-tri/thu-tuc', 'Update procedures'],
  ]) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    await expectEnglishUi(page);
  }
  // A refused form comes back with its message in English.
  await page.goto('/can-bo/quan-tri/can-bo');
  await page.getByLabel('Username').fill('x');
  await page.getByLabel('Full name').fill('Người Thử');
  await page.getByLabel('Agency').selectOption({ index: 1 });
  await page.getByLabel('Processing').check();
  await page.getByRole('button', { name: 'Create an account' }).click();
  await expect(page.getByRole('alert')).toContainText('A username has 3–40 lower-case letters');
  await expectEnglishUi(page);
});
