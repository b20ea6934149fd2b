import { test, expect, type Page } from '@playwright/test';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO, gotoHydrated, login, logout } from './helpers';

/** Passphrase of the demo signers (`serve --demo` activates their certificates with it). */
const DEMO_TTE = 'tte-demo-2026';
const KEPALA_BAPPEDA = 'Suharto Wijaya';
const KADIS = 'Bambang Sutrisno';

async function download(page: Page, path: string, name: string): Promise<string> {
  const res = await page.request.get(path);
  expect(res.status()).toBe(200);
  const file = join(mkdtempSync(join(tmpdir(), 'eoffice-cosign-')), name);
  writeFileSync(file, await res.body());
  return file;
}

/** The QR codes on page 1 of a PDF, decoded with zbarimg from a 150 dpi rendering by pdftoppm. */
function qrCodes(pdf: string): string[] {
  const prefix = pdf.replace(/\.pdf$/, '');
  execFileSync('pdftoppm', ['-r', '150', '-png', '-f', '1', '-l', '1', '-singlefile', pdf, prefix]);
  return execFileSync('zbarimg', ['-q', '--raw', `${prefix}.png`]).toString().split('\n').map((l) => l.trim()).filter(Boolean);
}

async function openFromPerluParaf(page: Page, subject: string) {
  await gotoHydrated(page, '/surat-keluar?tab=perlu-paraf');
  await page.getByRole('link', { name: subject }).click();
  await expect(page.getByRole('heading', { level: 1, name: subject })).toBeVisible();
}

test('a joint letter: the Kepala Dinas signs, the Kepala Bappeda co-signs, then it is delivered and verifies with two signers', async ({ page }, info) => {
  test.setTimeout(240_000);
  const subject = `Kesepakatan satu data ${info.project.name} ${Date.now()}`;

  // The Kabid drafts a letter to Bappeda and names the Kepala Bappeda as co-signer.
  await login(page, DEMO.kabid);
  await gotoHydrated(page, '/surat-keluar/baru');
  await page.getByLabel('Klasifikasi arsip').selectOption('000.5.6.2');
  await page.getByLabel('Hal (perihal)').fill(subject);
  await page.getByLabel('Cari OPD, unit, atau pegawai').fill('Bappeda');
  await page.getByRole('button', { name: /Kepala Bappeda/ }).first().click();
  await expect(page.locator('.recipients').first().getByText('Kepala Bappeda')).toBeVisible();
  await page.getByLabel('Isi surat', { exact: true }).fill('Dengan hormat,\n\nBersama ini Dinas Kominfo dan Bappeda menyepakati satu data pembangunan daerah.');
  const coSigner = page.locator('fieldset.co-signer');
  await expect(coSigner.getByText('Penanda tangan kedua (opsional)')).toBeVisible();
  // The signer cannot co-sign: picking the Kepala Dinas is refused with a message.
  await page.getByLabel('Cari penanda tangan kedua').fill(KADIS);
  await coSigner.getByRole('button', { name: new RegExp(KADIS) }).click();
  await expect(coSigner.getByRole('alert')).toContainText('tidak boleh sama dengan penanda tangan utama');
  // Keyboard: the results are buttons reached with Tab and chosen with Enter.
  await page.getByLabel('Cari penanda tangan kedua').fill('Bappeda');
  const pick = coSigner.getByRole('button', { name: new RegExp(KEPALA_BAPPEDA) });
  await expect(pick).toBeVisible();
  await pick.focus();
  await page.keyboard.press('Enter');
  await expect(coSigner.locator('.co-signer-chosen')).toContainText(KEPALA_BAPPEDA);
  await expect(coSigner.locator('.co-signer-chosen')).toContainText('Bappeda');
  await expect(page.getByText(/Tersimpan/)).toBeVisible({ timeout: 15_000 });
  await page.getByRole('button', { name: 'Ajukan untuk paraf' }).click();
  await expect(page).toHaveURL(/\/surat-keluar\/[0-9a-f]{32}$/);
  const id = page.url().split('/').pop()!;
  // Where it goes: the Sekretaris initials, the Kepala Dinas signs, the Kepala Bappeda signs second.
  await expect(page.locator('ol.chain li').last()).toContainText('(penanda tangan kedua)');
  await expect(page.locator('ol.chain li').last()).toContainText(KEPALA_BAPPEDA);
  await expect(page.locator('dl.facts')).toContainText('Penanda tangan kedua');
  await logout(page);

  // The Sekretaris initials it.
  await login(page, DEMO.sekdin);
  await openFromPerluParaf(page, subject);
  await page.getByRole('button', { name: 'Setujui (paraf)', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Berhasil.' })).toBeVisible();
  await logout(page);

  // The Kepala Dinas signs first: the letter is numbered and waits for the second signature.
  await login(page, DEMO.kadis);
  await openFromPerluParaf(page, subject);
  await page.getByLabel('Passphrase TTE').fill(DEMO_TTE);
  await page.getByRole('button', { name: 'Tandatangani', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Menunggu TTE kedua' })).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('dd.letter-number')).toHaveText(/^000\.5\.6\.2\/\d+\//);
  const number = (await page.locator('dd.letter-number').textContent())!.trim();
  // No longer in the head's queue.
  await gotoHydrated(page, '/surat-keluar?tab=perlu-paraf');
  await expect(page.getByRole('link', { name: subject })).toHaveCount(0);
  await logout(page);

  // The Kepala Bappeda finds it in Perlu Paraf; it is not in the Kotak Masuk yet.
  await login(page, DEMO.bappeda);
  await gotoHydrated(page, '/kotak-masuk');
  await expect(page.getByRole('link', { name: subject })).toHaveCount(0);
  await gotoHydrated(page, '/surat-keluar?tab=perlu-paraf');
  const row = page.locator('li.letter-item', { has: page.getByRole('link', { name: subject }) });
  await expect(row).toContainText('Menunggu TTE kedua');
  await page.getByRole('link', { name: subject }).click();
  await expect(page.getByRole('heading', { level: 1, name: subject })).toBeVisible();
  await expect(page.getByRole('note').filter({ hasText: 'bubuhkan tanda tangan kedua' })).toBeVisible();
  // The letter to be co-signed can be read first: both signature blocks are on it, one signed.
  const before = await download(page, `/surat-keluar/${id}/pdf`, 'sebelum.pdf');
  const beforeText = execFileSync('pdftotext', [before, '-']).toString().replace(/\s+/g, ' ');
  expect(beforeText).toContain(KADIS);
  expect(beforeText).toContain(KEPALA_BAPPEDA);
  await page.getByLabel('Passphrase TTE').fill(DEMO_TTE);
  await page.getByRole('button', { name: 'Tandatangani', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Status surat sekarang: Ditandatangani' })).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('dl.facts')).toContainText('TTE kedua');
  await expect(page.locator('dd.letter-number')).toHaveText(number);

  // Delivered after the last signature: the addressee (Bappeda) has it in the Kotak Masuk.
  await gotoHydrated(page, '/kotak-masuk');
  await page.getByRole('link', { name: subject }).click();
  await expect(page.getByRole('heading', { level: 1, name: subject })).toBeVisible();
  await expect(page.locator('dd.letter-number')).toHaveText(number);

  // The signed file: two valid signatures (pdfsig), two QR codes of the one verification page.
  const pdf = await download(page, `/surat-keluar/${id}/pdf`, 'surat-bersama.pdf');
  const sig = spawnSync('pdfsig', [pdf]).stdout.toString();
  expect(sig.match(/Signature is Valid/g)?.length).toBe(2);
  const codes = qrCodes(pdf);
  expect(codes.length).toBe(2);
  expect(codes[0]).toMatch(/^https?:\/\/[^/]+\/verifikasi\/[A-Za-z0-9_-]{16,}$/);
  expect(codes[1]).toBe(codes[0]);
  const root = await download(page, '/pki/root.pem', 'root.pem');
  await logout(page);

  // The public verification page (no login) lists both signers.
  await page.goto(new URL(codes[0]).pathname);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(/Verifikasi/i);
  await expect(page.locator('.alert-ok').first()).toContainText('SAH');
  await expect(page.getByRole('heading', { name: 'Tanda tangan 1' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Tanda tangan 2' })).toBeVisible();
  await expect(page.locator('section', { has: page.getByRole('heading', { name: 'Tanda tangan 1' }) })).toContainText(KADIS);
  await expect(page.locator('section', { has: page.getByRole('heading', { name: 'Tanda tangan 2' }) })).toContainText(KEPALA_BAPPEDA);
  await expect(page.getByText('Penanda tangan kedua')).toBeVisible();

  // `eoffice verify` says the same, when the binary is at hand (scripts/env.sh exports it).
  const bin = process.env.EOFFICE_BIN;
  if (bin && existsSync(bin)) {
    const out = spawnSync(bin, ['verify', '--root', root, pdf]);
    const text = out.stdout.toString();
    expect(out.status, text + out.stderr.toString()).toBe(0);
    expect(text).toContain('Tanda tangan 1:');
    expect(text).toContain('Tanda tangan 2:');
    expect(text).toContain(KEPALA_BAPPEDA);
  }
});
