import { test, expect } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO, gotoHydrated, isPhone, login } from './helpers';

// The test server sends e-mail to port E2E_PORT + 40 (scripts/e2e-server.sh); a real SMTP server
// (aiosmtpd, installed by tte/scripts/install-validators.sh) listens there during these tests and
// keeps each message in a Maildir.
const SMTP_PORT = Number(process.env.E2E_PORT || '3100') + 40;
let smtp: ChildProcess | undefined;
let maildir = '';

function messages(): string[] {
  const dir = join(maildir, 'new');
  let files: string[] = [];
  try {
    files = readdirSync(dir);
  } catch {
    return [];
  }
  return files.map((f) => readFileSync(join(dir, f), 'utf8'));
}

async function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port }, () => {
      s.end();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

test.beforeAll(async () => {
  const venv = process.env.TTE_VENV || join(homedir(), '.cache/eoffice/venv');
  maildir = join(mkdtempSync(join(tmpdir(), 'eoffice-mail-')), 'mail');
  smtp = spawn(join(venv, 'bin/python'), ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${SMTP_PORT}`, '-c', 'aiosmtpd.handlers.Mailbox', maildir], { stdio: 'ignore' });
  for (let i = 0; i < 200 && !(await listening(SMTP_PORT)); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(await listening(SMTP_PORT)).toBe(true);
});

test.afterAll(async () => {
  smtp?.kill();
  rmSync(join(maildir, '..'), { recursive: true, force: true });
});

test('a person switches a group of notices off, picks a daily digest and gets a test e-mail', async ({ page }, info) => {
  // One person per viewport: the test e-mail may be sent once a minute per person.
  const who = isPhone(info) ? DEMO.staf : DEMO.kasi;
  await login(page, who);
  await gotoHydrated(page, '/notifikasi');
  await page.getByRole('link', { name: 'Pengaturan notifikasi dan ringkasan e-mail' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Pengaturan notifikasi' })).toBeVisible();
  const surat = page.getByRole('checkbox', { name: /^Surat keluar/ });
  const pimpinan = page.getByRole('checkbox', { name: /^Pimpinan/ });
  const daily = page.getByRole('radio', { name: /^Harian/ });
  const off = page.getByRole('radio', { name: 'Tidak dikirim' });
  try {
    await expect(surat).toBeChecked();
    // A leader's reminder always arrives.
    await expect(pimpinan).toBeChecked();
    await expect(pimpinan).toBeDisabled();
    await expect(off).toBeChecked();
    await expect(page.getByText(`Ringkasan dikirim ke ${who}.`)).toBeVisible();

    await surat.uncheck();
    await daily.check();
    await page.getByRole('button', { name: 'Simpan pengaturan' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Pengaturan notifikasi disimpan.' })).toBeVisible();
    await page.reload();
    await expect(page.getByRole('radio', { name: /^Harian/ })).toBeChecked();
    await expect(page.getByRole('checkbox', { name: /^Surat keluar/ })).not.toBeChecked();
    await expect(page.getByRole('checkbox', { name: /^Disposisi/ })).toBeChecked();

    const before = messages().length;
    await gotoHydrated(page, '/notifikasi/pengaturan');
    await page.getByRole('button', { name: 'Kirim e-mail uji' }).click();
    await expect(page.getByText(`E-mail uji dikirim ke ${who}.`)).toBeVisible();
    await expect.poll(() => messages().length).toBe(before + 1);
    const mine = messages().filter((m) => m.includes(who) && m.includes('Subject: Uji e-mail e-Office'));
    expect(mine.length).toBeGreaterThan(0);
    // Again within the minute: refused with a reason, and the page stays usable.
    await page.getByRole('button', { name: 'Kirim e-mail uji' }).click();
    await expect(page.getByRole('alert')).toContainText('Tunggu satu menit');
  } finally {
    // Back to the defaults for the other tests on this shared server.
    await gotoHydrated(page, '/notifikasi/pengaturan');
    await page.getByRole('checkbox', { name: /^Surat keluar/ }).check();
    await page.getByRole('radio', { name: 'Tidak dikirim' }).check();
    await page.getByRole('button', { name: 'Simpan pengaturan' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Pengaturan notifikasi disimpan.' })).toBeVisible();
  }
});

test('the settings refuse what cannot be saved, and only for the signed-in person', async ({ page }) => {
  // Not signed in: nothing to read or change.
  const anon = await page.request.post('/api/get_notification_settings', { form: {} });
  expect(anon.status()).toBe(401);
  await login(page, DEMO.tu);
  // The same call answers the signed-in person ...
  const ok = await page.request.post('/api/save_notification_settings', { form: { show_surat: 'on', show_disposisi: 'on', show_tenggat: 'on', digest: 'off' } });
  expect(ok.status()).toBe(200);
  // ... and refuses a frequency that does not exist, with a message in Bahasa Indonesia.
  const bad = await page.request.post('/api/save_notification_settings', { form: { show_surat: 'on', digest: 'bulanan' } });
  expect(bad.status()).toBe(422);
  expect(await bad.text()).toContain('Pilih frekuensi ringkasan e-mail');
  // Nothing changed by the refusal.
  const now = await page.request.post('/api/get_notification_settings', { form: {} });
  const s = await now.json();
  expect(s.muted).toEqual([]);
  expect(s.digest).toBe('off');
});
