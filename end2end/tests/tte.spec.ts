import { test, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO, gotoHydrated, login, logout, myPositionId, revokeLive, submitLetter } from './helpers';

/** Passphrase of the demo signers (`serve --demo` activates their certificates with it). */
const DEMO_TTE = 'tte-demo-2026';

async function download(page: Page, path: string): Promise<string> {
  const res = await page.request.get(path);
  expect(res.status()).toBe(200);
  const file = join(mkdtempSync(join(tmpdir(), 'eoffice-tte-')), 'surat.pdf');
  writeFileSync(file, await res.body());
  return file;
}

/** The QR code on page 1 of a PDF, decoded with zbarimg from a 150 dpi rendering by pdftoppm. */
function qrOf(pdf: string): string {
  const prefix = pdf.replace(/\.pdf$/, '');
  execFileSync('pdftoppm', ['-r', '150', '-png', '-f', '1', '-l', '1', '-singlefile', pdf, prefix]);
  return execFileSync('zbarimg', ['-q', '--raw', `${prefix}.png`]).toString().trim();
}

function pdfText(pdf: string): string {
  return execFileSync('pdftotext', [pdf, '-']).toString().replace(/\s+/g, ' ');
}


test('an official activates a certificate, signs with the passphrase, the QR opens the verification page, revocation shows there', async ({ page }, info) => {
  test.setTimeout(240_000);
  const subject = `Nota dinas TTE ${info.project.name} ${Date.now()}`;
  const passphrase = `kabid rahasia ${Date.now()}`;

  // The Admin Pemda issues a fresh certificate to the Kabid (revoking one left by an earlier run).
  await login(page, DEMO.adminPemda);
  await revokeLive(page, 'Teguh', 'superseded');
  await gotoHydrated(page, '/admin/tte');
  await page.getByLabel('Cari pegawai (nama atau NIP)').fill('Teguh');
  await page.getByRole('button', { name: /Terbitkan sertifikat untuk Teguh Wibowo/ }).first().click();
  await expect(page.getByRole('status').filter({ hasText: 'menunggu pejabat membuat passphrase' })).toBeVisible();
  await logout(page);

  // The Kabid sets the passphrase on first use (a mismatch is refused first).
  await login(page, DEMO.kabid);
  await gotoHydrated(page, '/profil/tte');
  await expect(page.getByText('Menunggu passphrase')).toBeVisible();
  await page.getByLabel('Passphrase baru').fill(passphrase);
  await page.getByLabel('Ulangi passphrase').fill(`${passphrase} lain`);
  await page.getByRole('button', { name: 'Aktifkan sertifikat' }).click();
  await expect(page.getByRole('alert')).toContainText(/tidak sama|tidak cocok/i);
  await page.getByLabel('Ulangi passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Aktifkan sertifikat' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Sertifikat aktif' })).toBeVisible();
  await expect(page.locator('.badge-ok', { hasText: 'Aktif' })).toBeVisible();
  // The passphrase can be changed, only with the current one.
  const renewed = `${passphrase} baru`;
  await page.getByLabel('Passphrase lama').fill('bukan passphrase lama');
  await page.getByLabel('Passphrase baru', { exact: true }).fill(renewed);
  await page.getByLabel('Ulangi passphrase baru').fill(renewed);
  await page.getByRole('button', { name: 'Ganti passphrase' }).click();
  await expect(page.getByRole('alert')).toContainText('Passphrase');
  await page.getByLabel('Passphrase lama').fill(passphrase);
  await page.getByLabel('Passphrase baru', { exact: true }).fill(renewed);
  await page.getByLabel('Ulangi passphrase baru').fill(renewed);
  await page.getByRole('button', { name: 'Ganti passphrase' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Passphrase diganti' })).toBeVisible();

  // The Kabid signs a Nota Dinas of their own: a wrong passphrase is refused, the right one signs.
  const id = await submitLetter(page, subject, { kind: 'nota_dinas', signer: await myPositionId(page) });
  await gotoHydrated(page, `/surat-keluar/${id}`);
  await page.getByLabel('Passphrase TTE').fill('bukan passphrase saya');
  await page.getByRole('button', { name: 'Tandatangani', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('Passphrase salah');
  await page.getByLabel('Passphrase TTE').fill(renewed);
  await page.getByRole('button', { name: 'Tandatangani', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Surat ditandatangani' })).toBeVisible();
  const pdf = await download(page, `/surat-keluar/${id}/pdf`);
  const text = pdfText(pdf);
  expect(text).toContain('Ditandatangani secara elektronik');
  expect(text).toContain('Teguh Wibowo');

  // The QR code on the page decodes to the public verification URL, which opens without login.
  const url = qrOf(pdf);
  expect(url).toMatch(/^https?:\/\/[^/]+\/verifikasi\/[A-Za-z0-9_-]{16,}$/);
  await logout(page);
  const path = new URL(url).pathname;
  await page.goto(path);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(/Verifikasi/i);
  await expect(page.getByText('Teguh Wibowo').first()).toBeVisible();
  await expect(page.getByText(subject)).toBeVisible();
  await expect(page.locator('.alert-ok').first()).toContainText('SAH');

  // After revocation the page says the certificate is revoked now but was valid at signing time.
  await login(page, DEMO.adminPemda);
  await revokeLive(page, 'Teguh', 'key_compromise');
  await logout(page);
  await page.goto(path);
  await expect(page.getByText(/dicabut/i).first()).toBeVisible();
  await expect(page.getByText(/saat penandatanganan/i).first()).toBeVisible();

  // The upload form checks a file: the signed PDF is intact; a changed copy is reported as changed.
  await page.goto('/verifikasi');
  await page.getByLabel(/Berkas PDF/).setInputFiles(pdf);
  await page.getByRole('button', { name: 'Periksa keabsahan' }).click();
  await expect(page.getByRole('heading', { name: 'Hasil Pemeriksaan' })).toBeVisible();
  await expect(page.getByText('Teguh Wibowo').first()).toBeVisible();
  const bytes = readFileSync(pdf);
  bytes[Math.floor(bytes.length / 3)] ^= 0x20;
  const changed = pdf.replace(/\.pdf$/, '-diubah.pdf');
  writeFileSync(changed, bytes);
  await page.goto('/verifikasi');
  await page.getByLabel(/Berkas PDF/).setInputFiles(changed);
  await page.getByRole('button', { name: 'Periksa keabsahan' }).click();
  await expect(page.locator('.alert-error').first()).toContainText('TIDAK SAH');
});

test('the head signs several letters with one passphrase entry', async ({ page }, info) => {
  test.setTimeout(180_000);
  const stamp = `${info.project.name} ${Date.now()}`;
  const subjects = [`Undangan rapat A ${stamp}`, `Undangan rapat B ${stamp}`];

  // The Sekretaris drafts two letters for the head's signature (the chain is Sekretaris → Kadis).
  await login(page, DEMO.sekdin);
  const ids = [];
  for (const s of subjects) ids.push(await submitLetter(page, s, { kind: 'nota_dinas' }));
  await logout(page);

  await login(page, DEMO.kadis);
  await gotoHydrated(page, '/surat-keluar?tab=perlu-paraf');
  const sign = page.getByRole('button', { name: 'Tandatangani yang dipilih' });
  await expect(sign).toBeDisabled();
  for (const s of subjects) await page.getByLabel(`Pilih untuk ditandatangani: ${s}`).check();
  await expect(page.getByText('2 surat dipilih untuk ditandatangani')).toBeVisible();
  await page.getByLabel('Passphrase TTE').fill(DEMO_TTE);
  await sign.click();
  const result = page.getByRole('status').filter({ hasText: 'Ditandatangani: 2 dari 2' });
  await expect(result).toBeVisible({ timeout: 30_000 });
  for (const s of subjects) await expect(result).toContainText(s);
  // Both are signed and numbered; they left the Perlu Paraf list.
  for (const id of ids) {
    const pdf = await download(page, `/surat-keluar/${id}/pdf`);
    expect(pdfText(pdf)).toContain('Ditandatangani secara elektronik');
  }
  for (const s of subjects) await expect(page.getByRole('link', { name: s })).toHaveCount(0);
});
