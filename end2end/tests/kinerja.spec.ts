import { test, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO, gotoHydrated, greyPng, isPhone, login, logout, openNav, pdfText, submitLetter } from './helpers';

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

/** The clerk registers a letter (one photo as its scan) and the head disposes it straight to Putri,
 * through the same API the pages use (the incoming-mail tests cover those pages). Returns its id. */
async function disposeToPutri(page: Page, subject: string): Promise<string> {
  const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
  await login(page, DEMO.tu);
  const reg = await page.request.post('/api/register_incoming', {
    data: {
      input: {
        client_id: `kinerja-${Date.now()}-${Math.random()}`,
        received: today,
        sender_name: 'Badan Kepegawaian Daerah Kabupaten Bojonegoro',
        letter_number: `800/${Date.now() % 100000}/412.204/2026`,
        letter_date: today,
        sifat: 'biasa',
        urgency: 'biasa',
        attachment_count: 0,
        subject,
        summary: 'Permintaan data pendukung penilaian kinerja.',
        klasifikasi: '',
        disposer_position_id: '',
        confirm_duplicate: true,
      },
      scan: { pdf_b64: null, images_b64: [greyPng(120, 160).toString('base64')], original_name: 'foto.png' },
    },
  });
  expect(reg.status(), await reg.text()).toBe(200);
  const id = ((await reg.json()) as { Registered: { id: string } }).Registered.id;
  await logout(page);
  await login(page, DEMO.kadis);
  const view = (await (await page.request.post('/api/incoming', { form: { id } })).json()) as {
    choices: [string, { position_id: string; holder: string }[]][];
  };
  const putri = view.choices[0][1].find((c) => c.holder.includes('Putri'))!;
  const given = await page.request.post('/api/dispose', {
    data: {
      input: {
        incoming_id: id,
        parent_id: null,
        recipients: [{ position_id: putri.position_id, lead: true }],
        instructions: ['selesaikan'],
        deadline: '',
        note: 'Mohon dilengkapi.',
      },
    },
  });
  expect(given.status(), await given.text()).toBe(200);
  await logout(page);
  return id;
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

  // Putri drafts a letter and reports the follow-up of a disposition given to her: both are
  // activities without typing anything.
  const incoming = await disposeToPutri(page, `Permintaan data kinerja ${tag}`);
  await login(page, DEMO.staf);
  await submitLetter(page, `Kinerja otomatis ${tag}`);
  await gotoHydrated(page, `/surat-masuk/${incoming}`);
  await page.getByLabel('Laporan tindak lanjut').fill(`Data sudah dikirim ${tag}`);
  await page.getByRole('button', { name: 'Laporkan tindak lanjut' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Tindak lanjut dilaporkan.' })).toBeVisible();
  await openNav(page, 'Kinerja');
  await expect(page).toHaveURL(/\/kinerja$/);
  await expect(page.getByRole('link', { name: 'Menyusun konsep surat' }).first()).toBeVisible();
  await expect(page.getByRole('link', { name: 'Melaporkan tindak lanjut disposisi' }).first()).toBeVisible();
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
  // The same month per unit: every unit with its people and TPP.
  const units = page.getByTestId('rekap-unit');
  await expect(units.locator('tbody tr').first()).toBeVisible();
  await expect(units.locator('tbody tr').filter({ hasText: 'Rp ' }).first()).toBeVisible();
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Unduh XLSX' }).click();
  const file = join(mkdtempSync(join(tmpdir(), 'rekap-')), 'rekap.xlsx');
  await (await download).saveAs(file);
  const sheet = xlsxText(file);
  expect(sheet).toContain(putriNip);
  expect(sheet).toContain(`<v>${tpp.replace('Rp ', '').replaceAll('.', '')}</v>`);
  // The same recap, printable.
  const recapPdf = await pdfText(page, `/kinerja/rekap.pdf?opd=${opd}&bulan=${thisMonth}`);
  expect(recapPdf).toContain('REKAP KINERJA DAN TPP PEGAWAI');
  expect(recapPdf).toContain(putriNip);
  expect(recapPdf).toContain(tpp.replace('Rp ', ''));
  expect(recapPdf).toContain('Rekap per unit');
  await logout(page);

  // Putri's explained month matches the recap, and the closed month takes no new activity.
  await login(page, DEMO.staf);
  await gotoHydrated(page, '/kinerja');
  await expect(page.locator('dd[data-key="tpp"] strong')).toHaveText(tpp);
  // 15 minutes late on a working day that has passed: TL1 (when this month has had one).
  if (lastWorkday) await expect(page.locator('dd[data-key="discipline_deduction"]')).toContainText('TL1 x1');
  await expect(page.getByRole('region', { name: 'Catat aktivitas di luar e-Office' })).toHaveCount(0);
  // Her monthly report prints the same TPP and her activities.
  const report = await pdfText(page, `/kinerja/laporan.pdf?bulan=${thisMonth}`);
  expect(report).toContain('LAPORAN KINERJA BULANAN');
  expect(report).toContain(putriNip);
  expect(report).toContain(tpp);
  // Table cells wrap anywhere; the run's time stamp is one word.
  expect(report).toContain(tag.split(' ').pop()!);
  await logout(page);

  // With the month closed, Kasi Eko rates her behaviour for the year; she sees her predikat.
  await login(page, DEMO.kasi);
  await gotoHydrated(page, '/kinerja/predikat');
  const card = page.locator(`li[data-nip="${putriNip}"]`);
  await card.getByLabel(/^Perilaku kerja/).selectOption({ label: 'Sesuai ekspektasi' });
  await card.getByRole('button', { name: 'Simpan' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Penilaian perilaku kerja disimpan.' })).toBeVisible();
  await expect(card.locator('dd[data-key="perilaku"]')).toHaveText('Sesuai ekspektasi');
  await logout(page);
  await login(page, DEMO.staf);
  await openNav(page, 'Kinerja');
  await page.getByRole('link', { name: 'Predikat Tahunan' }).click();
  await expect(page.locator('dd[data-key="perilaku"]')).toHaveText('Sesuai ekspektasi');
  await expect(page.locator('dd[data-key="predikat"]')).toHaveText(/^(Sangat Baik|Baik|Butuh Perbaikan|Kurang\/Misconduct|Sangat Kurang)$/);
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
  // Nothing typed is lost on a refusal.
  await expect(form.getByLabel('Uraian')).toHaveValue('Aktivitas yang bertabrakan');
  await expect(form.getByLabel('Mulai')).toHaveValue(hhmm(start));
}

test('validation and the recap refuse those who may not use them', async ({ page }) => {
  // Allowed first: the Kasi's staff list answers him.
  await login(page, DEMO.kasi);
  const ok = await page.request.post('/api/validation_list', { form: { bulan: '', semua: 'true' } });
  expect(ok.status()).toBe(200);
  const recap = await page.request.post('/api/kinerja_recap', { form: { opd_id: await myOpd(page), bulan: '' } });
  expect(recap.status()).toBe(403);
  expect((await page.request.get(`/kinerja/rekap.pdf?opd=${await myOpd(page)}`)).status()).toBe(403);
  await logout(page);
  await login(page, DEMO.adminOpd);
  expect((await page.request.post('/api/kinerja_recap', { form: { opd_id: await myOpd(page), bulan: '' } })).status()).toBe(200);
  expect((await page.request.get(`/kinerja/rekap.pdf?opd=${await myOpd(page)}`)).status()).toBe(200);
  await logout(page);
});

test('Pengaturan Kinerja: weights must add up to 100%, and the activity bank round-trips as CSV', async ({ page }) => {
  // The Admin Pemda's scoring rules: a bad pair of weights is refused with a message, a good one kept.
  await login(page, DEMO.adminPemda);
  await openNav(page, 'Kinerja');
  await page.getByRole('link', { name: 'Pengaturan Kinerja' }).click();
  const perf = page.getByLabel('Bobot kinerja (%)');
  const disc = page.getByLabel('Bobot disiplin (%)');
  const save = page.getByRole('button', { name: 'Simpan pengaturan' });
  await perf.fill('70');
  await disc.fill('40');
  await save.click();
  await expect(page.getByRole('alert').filter({ hasText: 'harus berjumlah 100%' })).toBeVisible();
  await disc.fill('30');
  // The late-arrival bands are typed as percentages with a decimal comma; text is refused.
  const tl1 = page.getByLabel('TL1: potongan (%)');
  await expect(tl1).toHaveValue('0,5');
  await tl1.fill('setengah');
  await save.click();
  await expect(page.getByRole('alert').filter({ hasText: 'Potongan harus antara 0% dan 100%.' })).toBeVisible();
  await tl1.fill('0,5');
  await save.click();
  await expect(page.getByRole('status').filter({ hasText: 'Pengaturan disimpan.' })).toBeVisible();
  await gotoHydrated(page, '/kinerja/pengaturan');
  await expect(perf).toHaveValue('70');
  await expect(disc).toHaveValue('30');
  // Back to the default 60/40 for the rest of the suite.
  await perf.fill('60');
  await disc.fill('40');
  await save.click();
  await expect(page.getByRole('status').filter({ hasText: 'Pengaturan disimpan.' })).toBeVisible();
  await logout(page);

  // The Admin OPD exports the bank, a broken file stores nothing, the export imports back whole.
  await login(page, DEMO.adminOpd);
  await gotoHydrated(page, '/kinerja/pengaturan');
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Ekspor CSV' }).click();
  const file = join(mkdtempSync(join(tmpdir(), 'bank-')), 'bank.csv');
  await (await download).saveAs(file);
  const csv = readFileSync(file, 'utf8');
  const lines = csv.trimEnd().split('\n');
  expect(lines[0]).toBe('unit,jabatan,aktivitas,menit,satuan');
  expect(csv).toContain('Mengikuti rapat koordinasi');
  const broken = lines[1].split(',');
  broken[2] = 'Aktivitas uji yang rusak';
  broken[3] = 'abc';
  await page.getByLabel('Impor CSV').setInputFiles({ name: 'bank.csv', mimeType: 'text/csv', buffer: Buffer.from(`${csv.trimEnd()}\n${broken.join(',')}\n`) });
  await expect(page.getByRole('alert').filter({ hasText: `Baris ${lines.length + 1}` })).toBeVisible();
  await page.getByLabel('Impor CSV').setInputFiles({ name: 'bank.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(page.getByRole('status').filter({ hasText: `${lines.length - 1} baris disimpan.` })).toBeVisible();

  // Position classes: one is set and kept, then cleared back to its level's default.
  const classes = page.getByRole('region', { name: 'Kelas jabatan' });
  const first = classes.getByRole('spinbutton').first();
  await first.fill('9');
  await classes.getByRole('button', { name: 'Simpan kelas jabatan' }).click();
  await expect(classes.getByRole('status').filter({ hasText: 'Kelas jabatan disimpan.' })).toBeVisible();
  await gotoHydrated(page, '/kinerja/pengaturan');
  await expect(first).toHaveValue('9');
  await first.fill('');
  await classes.getByRole('button', { name: 'Simpan kelas jabatan' }).click();
  await expect(classes.getByRole('status').filter({ hasText: 'Kelas jabatan disimpan.' })).toBeVisible();
  // A class outside 1 to 17 is refused with a message (the form's own limits stop it before that).
  const opd = await myOpd(page);
  const list = (await (await page.request.post('/api/position_classes', { form: { opd_id: opd } })).json()) as { position_id: string }[];
  const bad = await page.request.post('/api/save_position_classes', { data: { opd_id: opd, classes: [[list[0].position_id, 18]] } });
  expect(bad.status()).toBe(422);
  expect(await bad.text()).toContain('1 sampai 17');
  await logout(page);
});

async function myOpd(page: Page): Promise<string> {
  const me = (await (await page.request.post('/api/current_user', { form: {} })).json()) as { opd_id: string };
  return me.opd_id;
}
