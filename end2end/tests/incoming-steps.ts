// Steps of the incoming-letter flow shared by the browser tests: a scan built here, registered by
// the clerk, disposed, reported and accepted through the pages as people do it.
import { expect, type Page } from '@playwright/test';
import { gotoHydrated } from './helpers';

/** A small, valid one-page PDF with the given lines of text (Helvetica), built here so the test owns its scan. */
export function makePdf(lines: string[]): Buffer {
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
export async function fitsPhone(page: Page) {
  const width = page.viewportSize()!.width;
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width + 1);
}

export function isoDay(offset: number): string {
  // Dates in WIB (UTC+7), as the server counts them.
  return new Date(Date.now() + 7 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);
}

/** The clerk registers a scanned letter; returns the letter's page path. */
export async function registerScan(page: Page, subject: string, opts: { sifat?: string; number?: string } = {}): Promise<string> {
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
export async function fillAndRegister(page: Page, subject: string, opts: { sifat?: string; number?: string } = {}): Promise<string> {
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
export async function openFromInbox(page: Page, subject: string) {
  await gotoHydrated(page, '/kotak-masuk');
  await page.getByRole('link', { name: subject }).click();
  await page.getByRole('link', { name: 'Buka surat & disposisi' }).click();
  await expect(page.getByRole('heading', { level: 1, name: subject })).toBeVisible();
}

/** Opens a letter from the Disposisi list of the logged-in person. */
export async function openFromDisposisi(page: Page, subject: string) {
  await gotoHydrated(page, '/disposisi');
  await page.getByRole('link', { name: subject }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: subject })).toBeVisible();
}

export async function giveDisposition(page: Page, recipients: RegExp[], deadline: string, opts: { forward?: boolean } = {}) {
  if (opts.forward) await page.getByRole('button', { name: 'Teruskan disposisi' }).click();
  for (const r of recipients) await page.getByRole('checkbox', { name: r }).check();
  await page.getByRole('checkbox', { name: 'Selesaikan / tindak lanjuti' }).check();
  await page.getByLabel('Tenggat').fill(deadline);
  await page.getByLabel('Catatan', { exact: true }).fill('Mohon segera ditindaklanjuti.');
  await page.getByRole('button', { name: 'Kirim disposisi' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Disposisi dikirim.' })).toBeVisible();
}

export async function report(page: Page, text: string) {
  await page.getByLabel('Laporan tindak lanjut').fill(text);
  await page.getByRole('button', { name: 'Laporkan tindak lanjut' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Tindak lanjut dilaporkan.' })).toBeVisible();
}

export async function accept(page: Page) {
  // One button less once the page shows the acceptance (a second accept in a row must not pass on
  // the first one's message while the page still shows the accepted report's button).
  const buttons = page.getByRole('button', { name: 'Terima tindak lanjut' });
  const before = await buttons.count();
  await buttons.first().click();
  await expect(page.getByRole('status').filter({ hasText: 'Tindak lanjut diterima.' })).toBeVisible();
  await expect(buttons).toHaveCount(before - 1);
}
