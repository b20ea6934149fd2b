import { test, expect, type Page } from '@playwright/test';
import { DEMO, gotoHydrated, pdfText, greyPng, isPhone, login, logout } from './helpers';
import {
  accept,
  fillAndRegister,
  fitsPhone,
  giveDisposition,
  isoDay,
  makePdf,
  openFromDisposisi,
  openFromInbox,
  registerScan,
  report,
} from './incoming-steps';

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
    await page.getByText('Rekan setingkat', { exact: true }).click();
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
