import { test, expect, type Page } from '@playwright/test';
import { DEMO, gotoHydrated, pdfText, greyPng, isPhone, login, logout } from './helpers';

/** A small, valid one-page PDF with the given lines of text (Helvetica), built here so the test owns its scan. */
function makePdf(lines: string[]): Buffer {
  const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/\(/g, '\\(').replace(/\)/g, '\\)');
  const content = ['BT', '/F1 14 Tf', '72 760 Td', '18 TL', ...lines.map((l) => `(${esc(l)}) '`), 'ET'].join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  out += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** On a phone the page never scrolls sideways (a wide element would make the browser zoom the whole page out). */
async function fitsPhone(page: Page) {
  const width = page.viewportSize()!.width;
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width + 1);
}

function isoDay(offset: number): string {
  // Dates in WIB (UTC+7), as the server counts them.
  return new Date(Date.now() + 7 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);
}

/** The clerk registers a scanned letter; returns the letter's page path. */
async function registerScan(page: Page, subject: string, opts: { sifat?: string; number?: string } = {}): Promise<string> {
  await gotoHydrated(page, '/surat-masuk/baru');
  await page.getByTestId('scan-files').setInputFiles({
    name: 'pindai-undangan.pdf',
    mimeType: 'application/pdf',
    buffer: makePdf(['DINAS PENDIDIKAN KABUPATEN BOJONEGORO', 'Nomor: 005/321/412.201/2026', `Hal: ${subject}`]),
  });
  await expect(page.getByText(/pindai-undangan\.pdf/)).toBeVisible();
  return fillAndRegister(page, subject, opts);
}

/** Fills the registration fields once the scan is chosen, registers, and returns the letter's page path. */
async function fillAndRegister(page: Page, subject: string, opts: { sifat?: string; number?: string } = {}): Promise<string> {
  await page.getByLabel('Asal surat (instansi pengirim)').fill('Dinas Pendidikan Kabupaten Bojonegoro');
  await page.getByLabel('Nomor surat').fill(opts.number ?? `005/${Date.now() % 100000}/412.201/2026`);
  await page.getByLabel('Tanggal surat').fill(isoDay(-1));
  if (opts.sifat) await page.getByLabel('Sifat').selectOption(opts.sifat);
  await page.getByLabel('Jumlah lampiran').fill('1');
  await page.getByLabel('Hal (perihal)').fill(subject);
  await page.getByLabel('Ringkasan isi').fill('Permohonan narasumber kegiatan literasi digital bagi guru.');
  await page.getByRole('button', { name: 'Registrasi', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'nomor agenda' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: subject })).toBeVisible();
  return new URL(page.url()).pathname;
}

/** Opens a letter from the Kotak Masuk of the logged-in person, then its page with the disposition tree. */
async function openFromInbox(page: Page, subject: string) {
  await gotoHydrated(page, '/kotak-masuk');
  await page.getByRole('link', { name: subject }).click();
  await page.getByRole('link', { name: 'Buka surat & disposisi' }).click();
  await expect(page.getByRole('heading', { level: 1, name: subject })).toBeVisible();
}

/** Opens a letter from the Disposisi list of the logged-in person. */
async function openFromDisposisi(page: Page, subject: string) {
  await gotoHydrated(page, '/disposisi');
  await page.getByRole('link', { name: subject }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: subject })).toBeVisible();
}

async function giveDisposition(page: Page, recipients: RegExp[], deadline: string, opts: { forward?: boolean } = {}) {
  if (opts.forward) await page.getByRole('button', { name: 'Teruskan disposisi' }).click();
  for (const r of recipients) await page.getByRole('checkbox', { name: r }).check();
  await page.getByRole('checkbox', { name: 'Selesaikan / tindak lanjuti' }).check();
  await page.getByLabel('Tenggat').fill(deadline);
  await page.getByLabel('Catatan', { exact: true }).fill('Mohon segera ditindaklanjuti.');
  await page.getByRole('button', { name: 'Kirim disposisi' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Disposisi dikirim.' })).toBeVisible();
}

async function report(page: Page, text: string) {
  await page.getByLabel('Laporan tindak lanjut').fill(text);
  await page.getByRole('button', { name: 'Laporkan tindak lanjut' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Tindak lanjut dilaporkan.' })).toBeVisible();
}

async function accept(page: Page) {
  await page.getByRole('button', { name: 'Terima tindak lanjut' }).first().click();
  await expect(page.getByRole('status').filter({ hasText: 'Tindak lanjut diterima.' })).toBeVisible();
}

test('seed story: the clerk registers a scan, the head disposes, it cascades to staff, the follow-up closes the chain upward', async ({ page }, info) => {
  test.setTimeout(300_000);
  const subject = `Permohonan narasumber literasi digital ${info.project.name} ${Date.now()}`;

  await login(page, DEMO.tu);
  if (isPhone(info)) {
    await gotoHydrated(page, '/surat-masuk/baru');
    await fitsPhone(page);
  }
  const letterPath = await registerScan(page, subject);
  await logout(page);

  // The head opens it from the Kotak Masuk, reads the scan, and disposes it with a few taps.
  await login(page, DEMO.kadis);
  await openFromInbox(page, subject);
  const scan = page.getByRole('img', { name: 'Halaman 1 dari 1' });
  await scan.scrollIntoViewIfNeeded();
  await expect(scan).toBeVisible();
  await expect.poll(() => scan.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await page.getByRole('button', { name: 'Perbesar' }).click();
  await expect(page.getByText('125%')).toBeVisible();
  // Zooming scrolls inside the viewer; the page itself never scrolls sideways.
  if (isPhone(info)) await fitsPhone(page);
  await giveDisposition(page, [/^Sekretaris Dinas/, /^Kepala Bidang E-Government/], isoDay(7));
  await expect(page.getByTestId('dispo-node')).toHaveCount(2);
  // A disposition upwards or a second root disposition is not even offered.
  await expect(page.getByRole('heading', { name: 'Beri disposisi' })).toHaveCount(0);
  await logout(page);

  // The Sekdin follows up directly.
  await login(page, DEMO.sekdin);
  await openFromDisposisi(page, subject);
  await expect(page.getByTestId('dispo-node')).toHaveCount(1);
  if (isPhone(info)) await fitsPhone(page);
  await report(page, 'Sudah dikoordinasikan dengan Subbagian Umum.');
  await logout(page);

  // The Kabid passes it to a Kasi; a deadline later than his own is refused with a reason.
  await login(page, DEMO.kabid);
  await openFromDisposisi(page, subject);
  await page.getByRole('button', { name: 'Teruskan disposisi' }).click();
  await page.getByRole('checkbox', { name: /^Kepala Seksi Layanan E-Government/ }).check();
  await page.getByRole('checkbox', { name: 'Selesaikan / tindak lanjuti' }).check();
  await page.getByLabel('Tenggat').fill(isoDay(9));
  await page.getByRole('button', { name: 'Kirim disposisi' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'tidak boleh melewati tenggat' })).toBeVisible();
  await page.getByLabel('Tenggat').fill(isoDay(5));
  await page.getByRole('button', { name: 'Kirim disposisi' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Disposisi dikirim.' })).toBeVisible();
  await logout(page);

  // The Kasi passes it to a staff member.
  await login(page, DEMO.kasi);
  await openFromDisposisi(page, subject);
  await giveDisposition(page, [/Putri Ayu/], isoDay(3), { forward: true });
  await logout(page);

  // The staff member follows up.
  await login(page, DEMO.staf);
  await openFromDisposisi(page, subject);
  await expect(page.getByTestId('dispo-node')).toHaveCount(1);
  await report(page, 'Narasumber sudah dikonfirmasi dan jadwal terkirim.');
  await logout(page);

  // The chain closes upward: the Kasi accepts and reports, the Kabid accepts and reports.
  await login(page, DEMO.kasi);
  await openFromDisposisi(page, subject);
  await accept(page);
  await report(page, 'Dilaksanakan oleh staf, selesai.');
  await logout(page);
  await login(page, DEMO.kabid);
  await openFromDisposisi(page, subject);
  await accept(page);
  await report(page, 'Bidang E-Government telah menindaklanjuti.');
  await logout(page);

  // The head accepts both branches, sees every step with its times, and files the letter.
  await login(page, DEMO.kadis);
  await gotoHydrated(page, letterPath);
  await accept(page);
  await accept(page);
  await expect(page.getByTestId('incoming-status')).toHaveText('Selesai');
  const nodes = page.getByTestId('dispo-node');
  await expect(nodes).toHaveCount(4);
  await expect(page.getByText('Belum dibaca')).toHaveCount(0);
  await expect(page.getByText('Narasumber sudah dikonfirmasi dan jadwal terkirim.')).toBeVisible();
  await page.getByRole('button', { name: 'Arsipkan' }).click();
  await expect(page.getByTestId('incoming-status')).toHaveText('Diarsipkan');

  // The lembar disposisi carries the whole cascade.
  const text = await pdfText(page, `${letterPath}/lembar-disposisi`);
  for (const expected of [
    'LEMBAR DISPOSISI',
    'Dinas Pendidikan Kabupaten Bojonegoro',
    'Sekretaris Dinas',
    'Kepala Bidang E-Government',
    'Kepala Seksi Layanan E-Government',
    'Pranata Komputer Ahli Pertama',
    'Selesaikan',
    'Narasumber sudah dikonfirmasi',
  ]) {
    expect(text, expected).toContain(expected);
  }
  const agenda = (await page.getByTestId('agenda-number').textContent())!.split(' ')[0];
  expect(text).toContain(agenda);
});

test('bad input: a file that is not a scan, a duplicate, and a confidential letter outside its tree', async ({ page }, info) => {
  test.setTimeout(180_000);
  await login(page, DEMO.tu);
  await gotoHydrated(page, '/surat-masuk/baru');
  await page.getByTestId('scan-files').setInputFiles({ name: 'surat.pdf', mimeType: 'application/pdf', buffer: Buffer.from('ini bukan pdf sama sekali') });
  await expect(page.getByRole('alert').filter({ hasText: 'bukan salah satunya' })).toBeVisible();
  // Nothing typed is lost when the registration is refused.
  await page.getByLabel('Hal (perihal)').fill('Surat tanpa pindaian');
  await page.getByRole('button', { name: 'Registrasi', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Unggah hasil pindai' })).toBeVisible();
  await expect(page.getByLabel('Hal (perihal)')).toHaveValue('Surat tanpa pindaian');

  // The same sender, number and date twice: flagged before saving.
  const number = `900/${Date.now() % 100000}/2026`;
  const subject = `Undangan rapat koordinasi ${info.project.name} ${Date.now()}`;
  await registerScan(page, subject, { number });
  await gotoHydrated(page, '/surat-masuk/baru');
  await page.getByTestId('scan-files').setInputFiles({ name: 'lagi.pdf', mimeType: 'application/pdf', buffer: makePdf(['Surat yang sama']) });
  await page.getByLabel('Asal surat (instansi pengirim)').fill('Dinas Pendidikan Kabupaten Bojonegoro');
  await page.getByLabel('Nomor surat').fill(number);
  await page.getByLabel('Tanggal surat').fill(isoDay(-1));
  await page.getByLabel('Hal (perihal)').fill(subject);
  await page.getByRole('button', { name: 'Registrasi', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Kemungkinan surat ganda' })).toBeVisible();

  // A Rahasia letter: the register shows it to the clerk who registered it, nobody outside the tree sees it.
  const secret = `Laporan rahasia ${info.project.name} ${Date.now()}`;
  const secretPath = await registerScan(page, secret, { sifat: 'rahasia' });
  await gotoHydrated(page, `/surat-masuk?q=${encodeURIComponent(secret)}`);
  await expect(page.getByRole('link', { name: secret })).toBeVisible();
  await logout(page);
  await login(page, DEMO.kabid);
  await gotoHydrated(page, secretPath);
  await expect(page.getByRole('alert').filter({ hasText: 'tidak ditemukan' })).toBeVisible();
  await expect(page.getByText(secret)).toHaveCount(0);
  expect((await page.request.get(`${secretPath}/berkas`)).status()).toBe(404);
  expect((await page.request.get(`${secretPath}/lembar-disposisi`)).status()).toBe(404);
  await logout(page);
});

test('a reply is drafted from the incoming letter, linked both ways, and reported as the follow-up', async ({ page }, info) => {
  test.setTimeout(240_000);
  const subject = `Permintaan data menara telekomunikasi ${info.project.name} ${Date.now()}`;
  await login(page, DEMO.tu);
  const letterPath = await registerScan(page, subject);
  await logout(page);
  await login(page, DEMO.kadis);
  await gotoHydrated(page, letterPath);
  await giveDisposition(page, [/^Kepala Bidang E-Government/], isoDay(6));
  await logout(page);

  // The Kabid starts the reply from the letter: addressed to the sender, same hal, the letter cited.
  await login(page, DEMO.kabid);
  await openFromDisposisi(page, subject);
  await expect(page.getByText('Belum ada surat balasan.')).toBeVisible();
  await page.getByTestId('reply-button').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Tulis surat' })).toBeVisible();
  await expect(page.getByTestId('reply-notice')).toContainText('Balasan atas surat masuk');
  await expect(page.getByTestId('reply-notice')).toContainText('Dinas Pendidikan Kabupaten Bojonegoro');
  await expect(page.getByLabel('Hal (perihal)')).toHaveValue(subject);
  await expect(page.locator('.chip').filter({ hasText: 'Dinas Pendidikan Kabupaten Bojonegoro' })).toBeVisible();
  if (isPhone(info)) await fitsPhone(page);
  await page.getByLabel('Klasifikasi arsip').selectOption('000.1.3');
  await page.getByRole('button', { name: 'Simpan draf' }).click();
  await expect(page.getByText(/Tersimpan/)).toBeVisible({ timeout: 15_000 });
  await page.getByRole('link', { name: 'Lihat surat' }).click();
  await expect(page.getByTestId('reply-to')).toContainText(subject);

  // Back on the incoming letter: the reply is listed, and the report links it without typing.
  await page.getByTestId('reply-to').getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1, name: subject })).toBeVisible();
  await expect(page.getByTestId('reply-letter')).toHaveCount(1);
  await expect(page.getByTestId('reply-letter')).toContainText('Draf');
  await expect(page.getByLabel('Surat balasan (opsional)')).toHaveValue(/.+/);
  // The report carries a file as well; it is listed before sending and downloadable after.
  await page.getByTestId('dispo-node').locator('input[type=file]').setInputFiles({ name: 'data-menara.pdf', mimeType: 'application/pdf', buffer: makePdf(['Data menara telekomunikasi']) });
  await expect(page.getByText('data-menara.pdf')).toBeVisible();
  await report(page, 'Data menara disiapkan; surat balasan dalam proses paraf.');
  const file = page.getByTestId('dispo-node').getByRole('link', { name: 'data-menara.pdf' });
  const fileRes = await page.request.get((await file.getAttribute('href'))!);
  expect(fileRes.status()).toBe(200);
  expect((await fileRes.body()).subarray(0, 5).toString()).toBe('%PDF-');
  await page.getByTestId('dispo-node').getByRole('link', { name: 'Surat balasan' }).click();
  await expect(page.getByRole('heading', { level: 1, name: subject })).toBeVisible();
  await expect(page.getByTestId('reply-to')).toBeVisible();
  if (isPhone(info)) await fitsPhone(page);
  await logout(page);

  // Someone outside the letter cannot start a reply to it.
  await login(page, DEMO.bappeda);
  const id = letterPath.split('/').pop()!;
  await gotoHydrated(page, `/surat-keluar/baru?balas=${id}`);
  await expect(page.getByRole('alert').filter({ hasText: 'tidak ditemukan' })).toBeVisible();
  await logout(page);
});

test('the Admin OPD sends new mail to the Sekretaris and allows dispositions to peers', async ({ page, browser }, info) => {
  test.setTimeout(240_000);
  const subject = `Undangan sosialisasi SPBE ${info.project.name} ${Date.now()}`;
  let opdId = '';
  try {
    await login(page, DEMO.adminOpd);
    opdId = ((await (await page.request.post('/api/current_user', { form: {} })).json()) as { opd_id: string }).opd_id;
    await gotoHydrated(page, `/admin/opd/${opdId}?tab=surat-masuk`);
    await expect(page.getByRole('heading', { name: 'Pengaturan surat masuk' })).toBeVisible();
    if (isPhone(info)) await fitsPhone(page);
    const receiver = page.getByLabel('Penerima surat masuk untuk disposisi');
    const sekdinPosition = (await receiver.locator('option', { hasText: /^Sekretaris Dinas/ }).getAttribute('value'))!;
    await receiver.selectOption(sekdinPosition);
    await page.getByLabel(/Izinkan disposisi ke rekan setingkat/).check();
    await page.getByRole('button', { name: 'Simpan pengaturan' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Pengaturan surat masuk disimpan.' })).toBeVisible();
    // The settings stay after a reload.
    await gotoHydrated(page, `/admin/opd/${opdId}?tab=surat-masuk`);
    await expect(page.getByLabel(/Izinkan disposisi ke rekan setingkat/)).toBeChecked();
    await expect(receiver).toHaveValue(sekdinPosition);
    await logout(page);

    // The clerk's form now offers the Sekretaris first; the letter lands in the Sekretaris' Kotak Masuk.
    await login(page, DEMO.tu);
    await gotoHydrated(page, '/surat-masuk/baru');
    await expect(page.getByLabel('Diteruskan untuk didisposisi oleh')).toHaveValue(sekdinPosition);
    const letterPath = await registerScan(page, subject);
    await logout(page);

    await login(page, DEMO.sekdin);
    await openFromInbox(page, subject);
    await expect(page.getByRole('heading', { name: 'Beri disposisi' })).toBeVisible();
    // A peer (same superior) is offered under its own heading and can receive the disposition.
    await page.getByText('Rekan setingkat').click();
    await giveDisposition(page, [/^Kepala Bidang E-Government/], isoDay(4));
    await expect(page.getByTestId('dispo-node')).toHaveCount(1);
    await logout(page);

    await login(page, DEMO.kabid);
    await gotoHydrated(page, letterPath);
    await expect(page.getByTestId('dispo-node')).toHaveCount(1);
    await expect(page.getByTestId('dispo-node')).toContainText('Dari Sekretaris Dinas');
    await logout(page);
  } finally {
    // Back to the defaults, whatever happened above: the other tests expect mail to go to the head.
    const ctx = await browser.newContext({ baseURL: info.project.use.baseURL, locale: 'id-ID' });
    const admin = await ctx.newPage();
    await login(admin, DEMO.adminOpd);
    const id = opdId || ((await (await admin.request.post('/api/current_user', { form: {} })).json()) as { opd_id: string }).opd_id;
    const res = await admin.request.post('/api/save_incoming_settings', { form: { opd_id: id, disposer_position_id: '', peer_disposition: 'false' } });
    expect(res.status()).toBe(200);
    await ctx.close();
  }
});

test('the clerk registers phone photos of the pages, in the order chosen, as one scan', async ({ page }, info) => {
  test.setTimeout(120_000);
  await login(page, DEMO.tu);
  await gotoHydrated(page, '/surat-masuk/baru');
  // Chosen out of order; the clerk moves the first page up before registering.
  await page.getByTestId('scan-files').setInputFiles([
    { name: 'halaman-2.png', mimeType: 'image/png', buffer: greyPng(300, 420) },
    { name: 'halaman-1.png', mimeType: 'image/png', buffer: greyPng(300, 420) },
  ]);
  const names = page.locator('.scan-name');
  await expect(names).toHaveCount(2);
  await expect(names.first()).toContainText('halaman-2');
  await page.getByRole('button', { name: 'Naikkan halaman 2' }).click();
  await expect(names.first()).toContainText('halaman-1');
  if (isPhone(info)) await fitsPhone(page);
  const subject = `Undangan rapat dari foto ${info.project.name} ${Date.now()}`;
  const path = await fillAndRegister(page, subject);
  // One scan of two pages, each shown as an image.
  for (const n of [1, 2]) {
    const img = page.getByRole('img', { name: `Halaman ${n} dari 2` });
    await img.scrollIntoViewIfNeeded();
    await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth > 0)).toBe(true);
  }
  const pdf = await page.request.get(`${path}/berkas`);
  expect(pdf.status()).toBe(200);
  expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
  await logout(page);
});
