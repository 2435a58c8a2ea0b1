// A citizen leaves feedback on a procedure: POST → redirect → GET, with or without JavaScript.
const { test, expect } = require('@playwright/test');

test('a citizen sends feedback on a procedure and is thanked on the same page', async ({ page }) => {
  await page.goto('/thu-tuc/1.004873');
  // A plain form, the same with and without JavaScript: the limit is written out and held by
  // the box itself.
  const box = page.getByLabel('Nội dung góp ý');
  await expect(page.getByText('Tối đa 1000 ký tự')).toBeVisible();
  await expect(box).toHaveAttribute('maxlength', '1000');
  await box.fill('Cần ghi rõ thời hạn');
  await page.getByRole('button', { name: 'Gửi góp ý' }).click();
  await expect(page).toHaveURL(/\/thu-tuc\/1\.004873\?gop-y=da-gui#gop-y$/);
  await expect(page.getByRole('status')).toHaveText('Cảm ơn bạn, góp ý đã được ghi nhận.');
  // Refreshing the thank-you page sends nothing again: it is a plain GET.
  const reload = await page.reload();
  expect(reload.request().method()).toBe('GET');
});

test('portal feedback from the footer link works too', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Góp ý về cổng dịch vụ công' }).click();
  await expect(page).toHaveURL(/\/gop-y$/);
  await page.getByLabel('Nội dung góp ý').fill('Trang dễ dùng trên điện thoại');
  await page.getByRole('button', { name: 'Gửi góp ý' }).click();
  await expect(page.getByRole('status')).toHaveText('Cảm ơn bạn, góp ý đã được ghi nhận.');
});

test('an empty message is stopped with a Vietnamese error and nothing is lost', async ({ page }) => {
  // Browsers block an empty required field themselves; a request that gets past them
  // (old browser, spaces only) meets the server's rule and comes back with an error summary.
  await page.goto('/thu-tuc/1.001193');
  await page.getByLabel('Nội dung góp ý').fill('   ');
  await page.getByRole('button', { name: 'Gửi góp ý' }).click();
  await expect(page).toHaveURL(/gop-y-loi=trong/);
  await expect(page.getByRole('alert')).toContainText('Vui lòng nhập nội dung góp ý.');
  await expect(page.getByLabel('Nội dung góp ý')).toHaveAttribute('aria-invalid', 'true');
});
