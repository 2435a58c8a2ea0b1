// Browser tests run every flow twice: with JavaScript (islands hydrate) and without
// (plain server-rendered HTML and forms), on a 360x740 phone screen in Debian Chromium.
const { defineConfig } = require('@playwright/test');

module.exports = defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  // No retries: a test that fails once is a bug to find.
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: process.env.BASE_URL || 'http://127.0.0.1:3100',
    viewport: { width: 360, height: 740 },
    isMobile: true,
    hasTouch: true,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
      ],
    },
  },
  // Each project is its own client address (the test server trusts X-Forwarded-For), so the
  // per-address limits on sign-in codes count each project's citizens, as they would count
  // two offices' counters.
  projects: [
    { name: 'js', use: { javaScriptEnabled: true, extraHTTPHeaders: { 'X-Forwarded-For': '203.0.113.10' } } },
    { name: 'nojs', use: { javaScriptEnabled: false, extraHTTPHeaders: { 'X-Forwarded-For': '203.0.113.20' } } },
  ],
});
