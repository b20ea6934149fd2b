import { test, expect, type Browser, type Page } from '@playwright/test';
import {
  DEMO,
  DEMO_PASSWORD,
  freshCode,
  gotoHydrated,
  kominfoId,
  login,
  logout,
  myPositionId,
  revokeLive,
  submitLetter,
  totp,
  waitForHydration,
} from './helpers';

/** Staff who appear in no other test, one per project, so the two runs do not meet. */
const STAFF: Record<string, { email: string; name: string }> = {
  phone: { email: 'yuli.astuti@bojonegorokab.go.id', name: 'Yuli Astuti' },
  desktop: { email: 'rudi.hartono@bojonegorokab.go.id', name: 'Rudi Hartono' },
};
/** A Kepala Bidang who appears in no other test: gets a certificate here and signs. */
const OFFICIAL = { email: 'joko.santoso@bojonegorokab.go.id', name: 'Joko Santoso' };
const DEMO_RECHECK_MINUTES = '15';

/** Password step; the page then asks for the code. */
async function passwordStep(page: Page, email: string) {
  await gotoHydrated(page, '/masuk');
  await page.getByLabel('NIP atau email', { exact: true }).fill(email);
  await page.getByLabel('Kata sandi', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Masuk', exact: true }).click();
  await expect(page).toHaveURL(/\/masuk\/kode$/);
  await waitForHydration(page);
}

async function codeStep(page: Page, code: string) {
  await page.getByLabel('Kode verifikasi', { exact: true }).fill(code);
  await page.getByRole('button', { name: 'Verifikasi', exact: true }).click();
  await expect(page).not.toHaveURL(/\/masuk/);
  await waitForHydration(page);
}

/** Sets up an authenticator on /keamanan the way a person does: the key is read off the page.
 *  Returns the key and the recovery codes shown once. */
async function enrol(page: Page, used: Set<string>): Promise<{ secret: string; codes: string[] }> {
  await gotoHydrated(page, '/keamanan');
  await expect(page.getByText('Status: belum aktif.')).toBeVisible();
  await page.getByRole('button', { name: 'Siapkan verifikasi dua langkah' }).click();
  const key = page.getByTestId('kunci-rahasia');
  await expect(key).toBeVisible();
  await expect(page.getByRole('img', { name: 'Kode QR untuk aplikasi autentikator' })).toBeVisible();
  const secret = (await key.textContent())!.replace(/\s/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await page.getByLabel('Masukkan 6 angka yang tampil di aplikasi').fill(await freshCode(secret, used));
  await page.getByRole('button', { name: 'Aktifkan', exact: true }).click();
  const list = page.getByTestId('kode-pemulihan');
  await expect(list).toBeVisible();
  const codes = await list.locator('code').allTextContents();
  expect(codes).toHaveLength(10);
  await page.getByRole('link', { name: 'Sudah saya simpan, lanjut ke Beranda' }).click();
  await expect(page).toHaveURL(/\/$/);
  await waitForHydration(page);
  return { secret, codes };
}

/** The Admin Pemda, in a browser of its own, removes a second factor an earlier, failed run of
 *  this file may have left (the answer is an error when there is none; that is fine). */
async function clearLeftovers(browser: Browser, email: string) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await login(page, DEMO.adminPemda);
  const opd = await kominfoId(page);
  const res = await page.request.post('/api/list_employees', { form: { opd_id: opd, query: email.split('@')[0].replace('.', ' '), page: '1' } });
  expect(res.status()).toBe(200);
  const rows = ((await res.json()) as { rows: { employee: { id: string; email: string | null } }[] }).rows;
  const row = rows.find((r) => r.employee.email === email);
  expect(row, `employee ${email}`).toBeTruthy();
  await page.request.post('/api/reset_second_factor', { form: { id: row!.employee.id } });
  await ctx.close();
}

test('staff sets up two-step verification, logs in with a code, and ends a session on another device', async ({ page, browser }, info) => {
  test.setTimeout(180_000);
  const person = STAFF[info.project.name] ?? STAFF.desktop;
  await clearLeftovers(browser, person.email);
  const used = new Set<string>();

  await login(page, person.email);
  await openSecurity(page);
  const endOthers = page.getByRole('button', { name: 'Akhiri semua sesi lain' });
  if (await endOthers.isVisible()) {
    await endOthers.click();
    await expect(page.getByRole('status').filter({ hasText: 'Sesi diakhiri.' })).toBeVisible();
  }
  const { secret, codes } = await enrol(page, used);
  await logout(page);

  // The password alone no longer opens the account; a wrong code is refused, the right one works.
  await passwordStep(page, person.email);
  await page.getByLabel('Kode verifikasi', { exact: true }).fill('12345');
  await page.getByRole('button', { name: 'Verifikasi', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('Kode verifikasi salah');
  await expect(page).toHaveURL(/\/masuk\/kode$/);
  await codeStep(page, await freshCode(secret, used));
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

  // A second device logs in with a recovery code (the phone is "not at hand").
  const other = await browser.newContext({ userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Firefox/128.0' });
  const page2 = await other.newPage();
  await passwordStep(page2, person.email);
  await codeStep(page2, codes[0]);
  await gotoHydrated(page2, '/surat-keluar');
  await expect(page2).toHaveURL(/\/surat-keluar$/);

  // From the first device the person sees both sessions and ends the other one.
  await gotoHydrated(page, '/keamanan');
  await expect(page.getByText('Status: aktif')).toBeVisible();
  await expect(page.getByText('Kode pemulihan tersisa: 9.')).toBeVisible();
  const sessions = page.locator('.session-item');
  await expect(sessions).toHaveCount(2);
  await expect(sessions.first().getByText('Perangkat ini')).toBeVisible();
  await page.getByRole('button', { name: 'Akhiri sesi Firefox di Windows' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Sesi diakhiri.' })).toBeVisible();
  await expect(sessions).toHaveCount(1);
  await page2.reload();
  await expect(page2).toHaveURL(/\/masuk$/);
  await other.close();

  // Staff may turn it off again (with a code); the next login needs the password only.
  await page.getByLabel('Kode dari aplikasi, untuk menonaktifkan').fill(await freshCode(secret, used));
  await page.getByRole('button', { name: 'Nonaktifkan', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Verifikasi dua langkah dinonaktifkan.' })).toBeVisible();
  await logout(page);
  await login(page, person.email);
  await expect(page).toHaveURL(/\/$/);
});

async function openSecurity(page: Page) {
  await gotoHydrated(page, '/profil');
  await page.getByRole('link', { name: 'Verifikasi dua langkah dan sesi aktif' }).click();
  await expect(page).toHaveURL(/\/keamanan$/);
  await expect(page.getByRole('heading', { name: 'Keamanan akun', level: 1 })).toBeVisible();
}

async function setRecheck(page: Page, minutes: string) {
  await gotoHydrated(page, '/admin/tte');
  await page.getByLabel('Minta kode lagi sebelum tanda tangan setelah (menit)').fill(minutes);
  await page.getByRole('button', { name: 'Simpan aturan' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Aturan verifikasi dua langkah disimpan.' })).toBeVisible();
}

test('a certificate holder signs with a fresh code, and the Admin Pemda resets a lost second factor', async ({ page, browser }, info) => {
  test.setTimeout(300_000);
  await clearLeftovers(browser, OFFICIAL.email);
  const used = new Set<string>();
  const passphrase = `passphrase joko ${Date.now()}`;

  // The Admin Pemda issues a certificate to the Kabid and has signing always ask for a code.
  await login(page, DEMO.adminPemda);
  await revokeLive(page, 'Joko', 'superseded');
  await gotoHydrated(page, '/admin/tte');
  await page.getByLabel('Cari pegawai (nama atau NIP)').fill('Joko');
  await page.getByRole('button', { name: /Terbitkan sertifikat untuk .*Joko Santoso/ }).first().click();
  await expect(page.getByRole('status').filter({ hasText: 'menunggu pejabat membuat passphrase' })).toBeVisible();
  await setRecheck(page, '0');
  await logout(page);
  try {
    // A certificate holder is asked on the Beranda to set up the second factor.
    await login(page, OFFICIAL.email);
    await expect(page.getByText('Peran Anda mewajibkan verifikasi dua langkah')).toBeVisible();
    await page.getByRole('link', { name: 'Aktifkan sekarang' }).click();
    await expect(page).toHaveURL(/\/keamanan$/);
    const { secret } = await enrol(page, used);
    await gotoHydrated(page, '/keamanan');
    // Required for a certificate holder: there is no way to turn it off.
    await expect(page.getByText('Wajib untuk peran Anda')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Nonaktifkan', exact: true })).toHaveCount(0);
    await gotoHydrated(page, '/profil/tte');
    await page.getByLabel('Passphrase baru').fill(passphrase);
    await page.getByLabel('Ulangi passphrase').fill(passphrase);
    await page.getByRole('button', { name: 'Aktifkan sertifikat' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Sertifikat aktif' })).toBeVisible();
    await logout(page);

    // Log in with a code, draft a Nota Dinas to sign oneself, and sign: the check is older than
    // the limit (0 minutes), so the form asks for a new code and refuses a wrong one.
    await passwordStep(page, OFFICIAL.email);
    await codeStep(page, await freshCode(secret, used));
    const id = await submitLetter(page, `Nota dinas dua langkah ${info.project.name} ${Date.now()}`, { kind: 'nota_dinas', signer: await myPositionId(page) });
    await gotoHydrated(page, `/surat-keluar/${id}`);
    const code = page.getByLabel('Kode verifikasi dua langkah');
    await expect(code).toHaveAttribute('required', '');
    await page.getByLabel('Passphrase TTE').fill(passphrase);
    await code.fill(totp(secret) === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Tandatangani', exact: true }).click();
    await expect(page.getByRole('alert')).toContainText('Kode verifikasi salah');
    await page.getByLabel('Passphrase TTE').fill(passphrase);
    await code.fill(await freshCode(secret, used));
    await page.getByRole('button', { name: 'Tandatangani', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Surat ditandatangani' })).toBeVisible();
    await logout(page);
  } finally {
    await login(page, DEMO.adminPemda);
    await setRecheck(page, DEMO_RECHECK_MINUTES);
    // The phone is "lost": the Admin Pemda resets the second factor from the employee list.
    const opd = await kominfoId(page);
    await gotoHydrated(page, `/admin/opd/${opd}?tab=pegawai`);
    await page.getByLabel('Cari nama atau NIP').fill('Joko Santoso');
    await page.getByRole('button', { name: /^Reset verifikasi dua langkah .*Joko Santoso/ }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Verifikasi dua langkah direset' })).toBeVisible();
    await revokeLive(page, 'Joko', 'superseded');
    await logout(page);
  }
  // With the second factor reset (and the certificate revoked), the password alone logs in again,
  // and the person is told who reset it.
  await login(page, OFFICIAL.email);
  await expect(page.getByRole('region', { name: /Pemberitahuan/ })).toContainText('Verifikasi dua langkah Anda direset oleh Arif Setiawan');
});
