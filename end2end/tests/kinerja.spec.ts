import { test, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO, gotoHydrated, greyPng, isPhone, login, logout, openNav, submitLetter } from './helpers';

/** Minutes after midnight now, in WIB, and the day to log manual work on (YYYY-MM-DD): yesterday,
 * whose hours are all past and which the rest of the suite's e-Office work (all of it today) does not
 * fill up to the daily limit; today on the 1st of a month (yesterday is last month). */
function wibNow(): { minute: number; day: string } {
  let wib = new Date(Date.now() + 7 * 3600_000);
  const minute = wib.getUTCHours() * 60 + wib.getUTCMinutes();
  if (wib.getUTCDate() > 1 || minute < 200) wib = new Date(wib.getTime() - 86_400_000);
  return { minute, day: wib.toISOString().slice(0, 10) };
}

/** The latest Monday-to-Friday up to today (WIB) in this month, or null (the demo has no holidays). */
function lastWorkdayThisMonth(): string | null {
  const d = new Date(Date.now() + 7 * 3600_000);
  const month = d.getUTCMonth();
  while (d.getUTCMonth() === month) {
    const wd = d.getUTCDay();
    if (wd >= 1 && wd <= 5) return d.toISOString().slice(0, 10);
    d.setUTCDate(d.getUTCDate() - 1);
  }
  return null;
}

function hhmm(m: number): string {
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** The shared strings and first sheet of an XLSX file, as text (read back with Python's zipfile). */
function xlsxText(path: string): string {
  return execFileSync('python3', [
    '-c',
    'import sys,zipfile;z=zipfile.ZipFile(sys.argv[1]);print(z.read("xl/sharedStrings.xml").decode()+z.read("xl/worksheets/sheet1.xml").decode())',
    path,
  ]).toString();
}

async function addActivity(page: Page, day: string, start: number, text: string, photo: boolean, bank?: string) {
  const form = page.getByRole('region', { name: 'Catat aktivitas di luar e-Office' });
  await form.getByLabel('Tanggal').fill(day);
  if (bank) await form.getByLabel('Aktivitas dari bank jabatan').selectOption({ label: bank });
  await form.getByLabel('Mulai').fill(hhmm(start));
  await form.getByLabel('Selesai').fill(hhmm(start + 20));
  await form.getByLabel('Uraian').fill(text);
  if (photo) {
    await form.getByLabel('Bukti (foto atau PDF, tidak wajib)').setInputFiles({ name: 'rapat.png', mimeType: 'image/png', buffer: greyPng(64, 48) });
    await expect(form.getByText(/rapat\.png \(\d+ KB\)/)).toBeVisible();
  }
  await form.getByRole('button', { name: 'Simpan aktivitas' }).click();
  await expect(form.getByRole('status').filter({ hasText: 'Aktivitas dicatat' })).toBeVisible();
}

test('e-Office work counts by itself, manual work is validated, the month is closed and recapped', async ({ page }, info) => {
  test.setTimeout(240_000);
  const tag = `${info.project.name} ${Date.now()}`;
  const now = wibNow();
  // Two 20-minute activities early in the day, in slots of this project (never in the future).
  // On the 1st before 03:20 WIB yesterday is last month, whose recap this test does not open.
  const thisMonth = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 7);
  test.skip(now.day.slice(0, 7) !== thisMonth, 'the first hours of a month: yesterday belongs to the last one');
  const slot = isPhone(info) ? 0 : 90;
  const base = slot + 10 * Math.floor(Math.random() * 4);
  const lastWorkday = lastWorkdayThisMonth();

  // A run that failed half-way may have left the month closed: open it again first.
  await login(page, DEMO.adminOpd);
  const opd = await myOpd(page);
  const state = (await (await page.request.post('/api/kinerja_recap', { form: { opd_id: opd, bulan: '' } })).json()) as { closed: boolean };
  if (state.closed) {
    const r = await page.request.post('/api/reopen_kinerja_month', { form: { opd_id: opd, bulan: '', alasan: 'Dibuka untuk uji ulang otomatis' } });
    expect(r.status()).toBe(200);
  }
  await logout(page);

  // Putri drafts a letter: it is an activity without typing anything.
  await login(page, DEMO.staf);
  await submitLetter(page, `Kinerja otomatis ${tag}`);
  await openNav(page, 'Kinerja');
  await expect(page).toHaveURL(/\/kinerja$/);
  await expect(page.getByRole('link', { name: 'Menyusun konsep surat' }).first()).toBeVisible();
  // Work outside e-Office: one with a photo, one that will be rejected.
  await addActivity(page, now.day, base, `Rapat koordinasi ${tag}`, true, 'Mengikuti rapat koordinasi (60 menit / kegiatan)');
  await addActivity(page, now.day, base + 40, `Membaca berita ${tag}`, false);
  await expect(page.getByText(`Rapat koordinasi ${tag}`)).toBeVisible();
  // Overlapping work is refused with a message.
  await addActivityExpectingError(page, now.day, base + 5, 'bertumpang tindih');
  await logout(page);

  // Kasi Eko validates the day: one rejected with a note, the rest approved at once.
  await login(page, DEMO.kasi);
  await gotoHydrated(page, '/kinerja/validasi');
  const rejected = page.getByRole('listitem').filter({ hasText: `Membaca berita ${tag}` });
  await rejected.getByLabel('Catatan (wajib bila ditolak)').fill('Bukan tugas jabatan');
  await rejected.getByRole('button', { name: 'Tolak' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Validasi disimpan.' })).toBeVisible();
  // The bank activity (20 minutes spent of a 60-minute standard) is approved with the whole day.
  const day = page.getByRole('region').filter({ hasText: `Rapat koordinasi ${tag}` });
  await expect(day.getByRole('listitem').filter({ hasText: `Rapat koordinasi ${tag}` }).getByText(/^20 menit/)).toBeVisible();
  await day.getByRole('button', { name: /^Setujui semua hari ini/ }).click();
  await expect(page.getByRole('listitem').filter({ hasText: `Rapat koordinasi ${tag}` })).toHaveCount(0);
  await logout(page);

  // The Admin OPD imports attendance and closes the month; the recap downloads as XLSX.
  await login(page, DEMO.adminOpd);
  await gotoHydrated(page, '/kinerja/rekap');
  const putriNip = (await page.locator('tr', { hasText: 'Putri' }).first().getAttribute('data-nip'))!;
  expect(putriNip).toMatch(/^\d{18}$/);
  await page.getByLabel('Impor kehadiran (CSV)').setInputFiles({
    name: 'presensi.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`nip,tanggal,masuk,pulang\n999999999999999999,${now.day},07:30,16:00\n`),
  });
  await expect(page.getByRole('alert').filter({ hasText: 'tidak terdaftar' })).toBeVisible();
  await page.getByLabel('Impor kehadiran (CSV)').setInputFiles({
    name: 'presensi.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`nip,tanggal,masuk,pulang\n${putriNip},${lastWorkday ?? now.day},07:45,16:00\n`),
  });
  await expect(page.getByRole('status').filter({ hasText: '1 baris disimpan.' })).toBeVisible();
  await page.getByRole('button', { name: 'Tutup bulan' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Bulan ditutup' })).toBeVisible();
  const row = page.locator(`tr[data-nip="${putriNip}"]`);
  const tpp = (await row.locator('td.tpp').innerText()).trim();
  expect(tpp).toMatch(/^Rp [\d.]+$/);
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Unduh XLSX' }).click();
  const file = join(mkdtempSync(join(tmpdir(), 'rekap-')), 'rekap.xlsx');
  await (await download).saveAs(file);
  const sheet = xlsxText(file);
  expect(sheet).toContain(putriNip);
  expect(sheet).toContain(`<v>${tpp.replace('Rp ', '').replaceAll('.', '')}</v>`);
  await logout(page);

  // Putri's explained month matches the recap, and the closed month takes no new activity.
  await login(page, DEMO.staf);
  await gotoHydrated(page, '/kinerja');
  await expect(page.locator('dd[data-key="tpp"] strong')).toHaveText(tpp);
  // 15 minutes late on a working day that has passed: TL1 (when this month has had one).
  if (lastWorkday) await expect(page.locator('dd[data-key="discipline_deduction"]')).toContainText('TL1 x1');
  await expect(page.getByRole('region', { name: 'Catat aktivitas di luar e-Office' })).toHaveCount(0);
  await logout(page);

  // Reopened with a reason (audited), so the other viewport's run finds it open.
  await login(page, DEMO.adminOpd);
  await gotoHydrated(page, '/kinerja/rekap');
  await page.getByLabel('Alasan membuka kembali (tercatat di log audit)').fill(`Uji ulang ${tag}`);
  await page.getByRole('button', { name: 'Buka kembali bulan ini' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Bulan dibuka kembali.' })).toBeVisible();
});

async function addActivityExpectingError(page: Page, day: string, start: number, message: string) {
  const form = page.getByRole('region', { name: 'Catat aktivitas di luar e-Office' });
  await form.getByLabel('Tanggal').fill(day);
  await form.getByLabel('Mulai').fill(hhmm(start));
  await form.getByLabel('Selesai').fill(hhmm(start + 20));
  await form.getByLabel('Uraian').fill('Aktivitas yang bertabrakan');
  await form.getByRole('button', { name: 'Simpan aktivitas' }).click();
  await expect(form.getByRole('alert').filter({ hasText: message })).toBeVisible();
}

test('validation and the recap refuse those who may not use them', async ({ page }) => {
  // Allowed first: the Kasi's staff list answers him.
  await login(page, DEMO.kasi);
  const ok = await page.request.post('/api/validation_list', { form: { bulan: '', semua: 'true' } });
  expect(ok.status()).toBe(200);
  const recap = await page.request.post('/api/kinerja_recap', { form: { opd_id: await myOpd(page), bulan: '' } });
  expect(recap.status()).toBe(403);
  await logout(page);
  await login(page, DEMO.adminOpd);
  expect((await page.request.post('/api/kinerja_recap', { form: { opd_id: await myOpd(page), bulan: '' } })).status()).toBe(200);
  await logout(page);
});

async function myOpd(page: Page): Promise<string> {
  const me = (await (await page.request.post('/api/current_user', { form: {} })).json()) as { opd_id: string };
  return me.opd_id;
}
