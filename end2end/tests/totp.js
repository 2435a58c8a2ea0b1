// The authenticator app of the demo leaders and administrators (RFC 6238: HMAC-SHA-1, six
// digits, 30-second steps). The secret each account set up is kept in a file per server, so
// that both workers type codes for it; a lock lets one sign-in at a time use it, and each
// takes a step no earlier sign-in used (the portal accepts a code once, and the next step's
// code too, for clock drift).
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { expect } = require('@playwright/test');

const STEP_MS = 30_000;
const server = (process.env.BASE_URL || 'http://127.0.0.1:3100').replace(/[^a-z0-9]+/gi, '-');
const folder = path.join(os.tmpdir(), `mot-cua-e2e-second-factor-${server}`);

function base32Bytes(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bits = [...text.replace(/[\s=]/g, '').toUpperCase()]
    .map((c) => alphabet.indexOf(c).toString(2).padStart(5, '0'))
    .join('');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

function codeAt(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = crypto.createHmac('sha1', secret).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function withLock(name, work) {
  fs.mkdirSync(folder, { recursive: true });
  const lock = path.join(folder, `${name}.lock`);
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      // A lock older than a minute belongs to a worker that was stopped.
      if (Date.now() - fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs > 60_000) fs.rmSync(lock, { recursive: true, force: true });
      await sleep(100);
    }
  }
  try {
    return await work();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** A step no sign-in used yet, within the one the portal accepts ahead. */
async function freshStep(lastStep) {
  const step = Math.max(Math.floor(Date.now() / STEP_MS), lastStep + 1);
  while (Math.floor(Date.now() / STEP_MS) + 1 < step) await sleep(250);
  return step;
}

const WORDS = {
  vi: { label: 'Mã xác thực', turnOn: 'Bật xác thực hai bước', confirm: 'Xác nhận', turnedOn: 'Đã bật xác thực hai bước', codeTitle: 'Nhập mã xác thực' },
  en: { label: 'Security code', turnOn: 'Turn on two-step verification', confirm: 'Confirm', turnedOn: 'Two-step verification is on', codeTitle: 'Enter your security code' },
};

/** On the code page (or, the first time, the set-up page): types a right code. */
async function secondFactorCode(page, username, settingUp, language = 'vi') {
  const words = WORDS[language];
  const stateFile = path.join(folder, `${username}.json`);
  await withLock(username, async () => {
    let state;
    if (settingUp) {
      const shown = await page.locator('code.secret').textContent();
      state = { secret: shown.trim(), lastStep: 0 };
    } else {
      if (!fs.existsSync(stateFile)) throw new Error(`${username} has a second factor from another run: use a fresh database`);
      state = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
    }
    const step = await freshStep(state.lastStep);
    await page.getByLabel(words.label).fill(codeAt(base32Bytes(state.secret), step));
    await page.getByRole('button', { name: settingUp ? words.turnOn : words.confirm }).click();
    fs.writeFileSync(stateFile, JSON.stringify({ ...state, lastStep: step }));
    if (settingUp) await expect(page.getByRole('status').first()).toContainText(words.turnedOn);
    else await expect(page.getByRole('heading', { level: 1, name: words.codeTitle })).toHaveCount(0);
  });
}

module.exports = { secondFactorCode, codeAt, base32Bytes };
