// In English, the filing flow and the desk home show no Vietnamese UI text: every Vietnamese
// word still on the page is content (procedure and agency names, the form's questions, what
// people typed, the audit trail), marked lang="vi" so that a screen reader reads it as
// Vietnamese. With JavaScript on and off.
const { test, expect } = require('@playwright/test');
const { jsEnabled, expectNoHorizontalScroll } = require('./helpers');
const { smsLines, newestCode, fillBirthRegistration } = require('./citizen');

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
  await page.getByRole('button', { name: 'Start now' }).click();

  await expect(page.getByText('Step 1 of 9')).toBeVisible();
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

test('in English, an officer signs in and reads the desk home in English', async ({ page }) => {
  await page.goto('/can-bo');
  await switchToEnglish(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Staff sign-in' })).toBeVisible();
  await expectEnglishUi(page);
  await page.getByLabel('Username').fill('tiepnhan.giavien');
  await page.getByLabel('Password').fill('demo-mot-cua');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: "Your agency's dossiers" })).toBeVisible();
  await expectEnglishUi(page);
  await page.getByRole('link', { name: /^In progress/ }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'In progress' })).toBeVisible();
  await expectEnglishUi(page);
  await expectNoHorizontalScroll(page);
});
