import { test, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DEMO, audit, demoSession, type SessionState, bappedaId, gotoHydrated, isPhone, kominfoId, login, logout, pdfText, waitForHydration } from './helpers';

// In-app help: the "Bantuan halaman ini" panel on every page, the first-login tour of a new
// account, and the user guide per role that the server prints from the same texts with the
// screenshots this file takes (into the site folder's panduan/, where the server reads them).

const SITE = process.env.EOFFICE_SITE_ROOT ?? join(process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache/eoffice/target'), 'site');
const SHOTS = join(SITE, 'panduan');

test('every page has a help panel that opens by keyboard, follows navigation and links the guides', async ({ page, browser, baseURL }) => {
  await login(page, DEMO.staf);
  await gotoHydrated(page, '/kotak-masuk');
  const help = page.getByTestId('help');
  await expect(help).toHaveAttribute('data-help', 'kotak-masuk');
  const summary = help.locator('summary');
  await expect(summary).toHaveText('Bantuan halaman ini');
  // Closed until asked for; opens from the keyboard.
  await expect(help.locator('ol')).toBeHidden();
  await summary.focus();
  await page.keyboard.press('Enter');
  await expect(help).toHaveAttribute('open', '');
  await expect(help.locator('.help-title')).toHaveText('Kotak Masuk');
  await expect(help.getByText('Langkah-langkah')).toBeVisible();
  await expect(help.locator('ol li').first()).toContainText('Buka surat dari daftar');
  await expect(help.getByText('Kesalahan yang sering terjadi')).toBeVisible();
  // The open panel passes the same audit as the pages (the closed one is in a11y.spec.ts).
  expect(await audit(page, 'help panel', '[data-testid="help"]')).toEqual([]);
  // The reader's own guide comes first, then the other roles'.
  const guides = help.getByRole('list', { name: /Panduan lengkap/ }).getByRole('link');
  await expect(guides).toHaveCount(5);
  await expect(guides.first()).toHaveText('Staf (peran Anda)');
  await expect(guides.first()).toHaveAttribute('href', '/panduan/staf.pdf');
  const text = await pdfText(page, '/panduan/staf.pdf');
  expect(text).toContain('PANDUAN PENGGUNA E-OFFICE');
  expect(text).toContain('Untuk: Staf');
  expect(text).toContain('Surat yang sudah ditandatangani dan dikirim kepada Anda');

  // A client-side navigation brings the next page's help.
  // (The link's name may carry a count of what waits there.)
  const menu = page.getByRole('button', { name: 'Menu', exact: true });
  if (await menu.isVisible()) await menu.click();
  await page.getByRole('navigation', { name: 'Navigasi utama' }).getByRole('link', { name: /^Surat Keluar/ }).click();
  await expect(page).toHaveURL(/\/surat-keluar/);
  await expect(help).toHaveAttribute('data-help', 'surat-keluar');
  await expect(help.locator('summary')).toHaveText('Bantuan halaman ini');

  // No such guide; no guide without a session.
  expect((await page.request.get('/panduan/bukan-peran.pdf')).status()).toBe(404);
  const stranger = await browser.newContext({ baseURL });
  expect((await stranger.request.get('/panduan/staf.pdf')).status()).toBe(401);
  await stranger.close();

  // In English too.
  await page.goto('/bahasa/en?ke=/kotak-masuk');
  await expect(page.getByTestId('help').locator('summary')).toHaveText('Help for this page');
  await page.goto('/bahasa/id?ke=/');
});

/** A new account in Dinas Kominfo, made by its admin; returns the temporary password. */
async function newAccount(page: Page, name: string, email: string, nip: string): Promise<string> {
  await login(page, DEMO.adminOpd);
  const res = await page.request.post('/api/save_employee', {
    form: { opd_id: await kominfoId(page), id: '', nip, name, email, phone: '', position_id: '' },
  });
  expect(res.status(), await res.text()).toBe(200);
  const temp = (await res.json()) as string;
  await logout(page);
  return temp;
}

async function firstLogin(page: Page, email: string, temp: string) {
  await login(page, email, temp);
  await expect(page).toHaveURL(/\/ganti-sandi/);
  await page.getByLabel('Kata sandi lama', { exact: true }).fill(temp);
  await page.getByLabel('Kata sandi baru', { exact: true }).fill('SandiTur2026');
  await page.getByLabel('Ulangi kata sandi baru').fill('SandiTur2026');
  await page.getByRole('button', { name: 'Simpan kata sandi' }).click();
  await expect(page).toHaveURL(/\/$/);
  await waitForHydration(page);
}

test('a new account is offered the tour once; finished or skipped, it stays away', async ({ page }, info) => {
  const phone = isPhone(info);
  // One account per viewport and run (fresh NIP and address each time).
  const serial = String(100 + (Date.now() % 900));
  const tag = `${phone ? 'ponsel' : 'desktop'}${Date.now()}`;
  const name = `Pegawai Tur ${phone ? 'Ponsel' : 'Desktop'}`;
  const email = `tur.${tag}@bojonegorokab.go.id`;
  const nip = `1996020${phone ? 1 : 2}20210${phone ? 1 : 2}1${serial}`;
  const temp = await newAccount(page, name, email, nip);
  await firstLogin(page, email, temp);
  const tour = page.getByTestId('tour');
  await expect(tour.getByRole('heading', { name: 'Tur singkat e-Office' })).toBeVisible();
  await expect(tour).toContainText('Langkah 1 dari');
  await expect(tour.getByRole('heading', { name: 'Selamat datang di e-Office' })).toBeVisible();
  await expect(tour.getByRole('button', { name: 'Kembali' })).toHaveCount(0);
  expect(await audit(page, 'tour card', '[data-testid="tour"]')).toEqual([]);
  // Forward and back; focus lands on the new step.
  await tour.getByRole('button', { name: 'Berikutnya' }).click();
  await expect(tour).toContainText('Langkah 2 dari');
  await expect(tour.getByRole('heading', { name: 'Menu dan angka penanda' })).toBeFocused();
  await tour.getByRole('button', { name: 'Kembali' }).click();
  await expect(tour.getByRole('heading', { name: 'Selamat datang di e-Office' })).toBeFocused();
  // Still offered after a reload: nothing was decided yet.
  await page.reload();
  await expect(page.getByTestId('tour')).toBeVisible();

  const flash = page.getByTestId('flash');
  if (phone) {
    await page.getByTestId('tour').getByRole('button', { name: 'Lewati tur' }).click();
  } else {
    // By keyboard, to the end.
    const total = Number(/Langkah 1 dari (\d+)/.exec(await tour.innerText())?.[1]);
    expect(total).toBeGreaterThan(3);
    for (let k = 2; k <= total; k++) {
      await tour.getByRole('button', { name: 'Berikutnya' }).focus();
      await page.keyboard.press('Enter');
      await expect(tour).toContainText(`Langkah ${k} dari ${total}`);
    }
    await expect(page.getByTestId('tour').getByRole('heading', { name: 'Bantuan selalu ada' })).toBeVisible();
    await page.getByTestId('tour').getByRole('button', { name: 'Selesai' }).focus();
    await page.keyboard.press('Enter');
  }
  await expect(flash).toContainText('Tur selesai');
  await expect(flash).toBeInViewport();
  await expect(page.getByTestId('tour')).toHaveCount(0);
  // Remembered: not after a reload, nor at the next login.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Pintasan' })).toBeVisible();
  await expect(page.getByTestId('tour')).toHaveCount(0);
  await logout(page);
  await login(page, email, 'SandiTur2026');
  await expect(page.getByRole('heading', { name: 'Pintasan' })).toBeVisible();
  await expect(page.getByTestId('tour')).toHaveCount(0);
  await logout(page);
  // People who have used e-Office before are not toured.
  await login(page, DEMO.kasi);
  await expect(page.getByRole('heading', { name: 'Pintasan' })).toBeVisible();
  await expect(page.getByTestId('tour')).toHaveCount(0);
});

type Who = keyof typeof DEMO;

const GUIDES: { role: string; label: string; has: string[]; lacks: string[] }[] = [
  { role: 'staf', label: 'Staf', has: ['Kotak Masuk', 'Tulis surat', 'Kinerja: aktivitas saya'], lacks: ['Kelola OPD', 'Registrasi surat masuk'] },
  { role: 'pejabat', label: 'Kasi dan Kabid', has: ['Validasi aktivitas', 'Sertifikat TTE', 'Dasbor pimpinan'], lacks: ['Log audit'] },
  { role: 'kepala', label: 'Kepala OPD dan pimpinan', has: ['Dasbor pimpinan', 'Rekap kinerja', 'Predikat tahunan'], lacks: ['Kelola OPD'] },
  { role: 'tu', label: 'TU (pencatat surat)', has: ['Registrasi surat masuk', 'Nomor surat manual', 'Surat Masuk'], lacks: ['Dasbor pimpinan'] },
  { role: 'admin', label: 'Admin OPD dan Admin Pemda', has: ['Kelola OPD', 'Log audit', 'Pengaturan Kinerja'], lacks: ['Registrasi surat masuk'] },
];

test('the user guide of every role is printed from the help texts with screenshots taken now', async ({ page, browser, baseURL }, info) => {
  test.skip(isPhone(info), 'the guide pictures the desktop layout; the help panel and tour are tested on the phone above');
  test.setTimeout(240_000);
  const started = Date.now() - 1000;
  mkdirSync(SHOTS, { recursive: true });
  const sessions = new Map<string, SessionState>();

  // Pages with ids: a draft of the staff member, the demo's incoming letter, Dinas Kominfo.
  await login(page, DEMO.staf);
  const save = await page.request.post('/api/save_letter', {
    data: {
      id: '',
      client_id: `panduan-${Date.now()}`,
      base_version: 0,
      draft: {
        kind: 'surat_dinas', klasifikasi: '000.1.3', sifat: 'biasa', urgency: 'biasa',
        subject: 'Undangan rapat koordinasi (contoh panduan)', attachment_count: 0, signer_position_id: null,
        recipients: [{ role: 'to', target_type: 'opd', target_id: await bappedaId(page), name: 'Kepala Bappeda', address: '' }],
        body: { blocks: [{ t: 'Paragraph', c: [{ text: 'Dengan hormat, kami mengundang Bapak/Ibu pada rapat koordinasi.' }] }] },
      },
    },
  });
  expect(save.status()).toBe(200);
  const { id: draft } = (await save.json()) as { id: string };
  const opd = await kominfoId(page);
  const tu = await browser.newContext({ baseURL, storageState: await demoSession(browser, baseURL, 'tu', sessions) });
  const register = await (await tu.request.get('/surat-masuk')).text();
  await tu.close();
  const incoming = register.match(/href="(\/surat-masuk\/[0-9a-f]{32})"/)?.[1];
  expect(incoming, 'the demo has an incoming letter').toBeTruthy();

  const pages: { key: string; who: Who; path: string }[] = [
    { key: 'beranda', who: 'kasi', path: '/' },
    { key: 'kotak-masuk', who: 'kadis', path: '/kotak-masuk' },
    { key: 'surat-keluar', who: 'kasi', path: '/surat-keluar' },
    { key: 'tulis-surat', who: 'staf', path: '/surat-keluar/baru' },
    { key: 'surat-keluar-detail', who: 'staf', path: `/surat-keluar/${draft}` },
    { key: 'nomor-manual', who: 'tu', path: '/surat-keluar/nomor-manual' },
    { key: 'surat-masuk', who: 'tu', path: '/surat-masuk' },
    { key: 'registrasi', who: 'tu', path: '/surat-masuk/baru' },
    { key: 'surat-masuk-detail', who: 'tu', path: incoming! },
    { key: 'disposisi', who: 'kabid', path: '/disposisi' },
    { key: 'kinerja', who: 'staf', path: '/kinerja' },
    { key: 'validasi', who: 'kasi', path: '/kinerja/validasi' },
    { key: 'rekap', who: 'kadis', path: '/kinerja/rekap' },
    { key: 'predikat', who: 'kadis', path: '/kinerja/predikat' },
    { key: 'pengaturan-kinerja', who: 'adminPemda', path: '/kinerja/pengaturan' },
    { key: 'dasbor', who: 'kadis', path: '/dashboard' },
    { key: 'notifikasi', who: 'staf', path: '/notifikasi' },
    { key: 'organisasi', who: 'staf', path: '/organisasi' },
    { key: 'profil', who: 'staf', path: '/profil' },
    { key: 'keamanan', who: 'staf', path: '/keamanan' },
    { key: 'tte', who: 'kadis', path: '/profil/tte' },
    { key: 'admin', who: 'adminPemda', path: '/admin' },
    { key: 'kelola-opd', who: 'adminOpd', path: `/admin/opd/${opd}` },
    { key: 'audit', who: 'adminPemda', path: '/admin/audit' },
    { key: 'pengaturan-naskah', who: 'adminPemda', path: '/admin/naskah' },
    { key: 'admin-tte', who: 'adminPemda', path: '/admin/tte' },
  ];
  for (const p of pages) {
    const context = await browser.newContext({
      baseURL,
      viewport: { width: 1280, height: 800 },
      storageState: await demoSession(browser, baseURL, p.who, sessions),
    });
    const tab = await context.newPage();
    await gotoHydrated(tab, p.path);
    // The page shown is the page the guide describes.
    await expect(tab.getByTestId('help'), p.path).toHaveAttribute('data-help', p.key);
    await tab.screenshot({ path: join(SHOTS, `${p.key}.jpg`), type: 'jpeg', quality: 75 });
    await context.close();
  }

  for (const g of GUIDES) {
    const res = await page.request.get(`/panduan/${g.role}.pdf`);
    expect(res.status(), g.role).toBe(200);
    const file = join(SHOTS, `panduan-${g.role}.pdf`);
    writeFileSync(file, await res.body());
    console.log(`user guide: ${file}`);
    const raw = execFileSync('pdftotext', [file, '-']).toString();
    const text = raw.replace(/\s+/g, ' ');
    expect(text).toContain(`Untuk: ${g.label}`);
    for (const t of g.has) expect(text, `${g.role} guide has ${t}`).toContain(t);
    for (const t of g.lacks) expect(text, `${g.role} guide lacks ${t}`).not.toContain(t);
    // Every page the contents list (on the title page) has its screenshot of this run, captioned.
    const contents = raw.split('\f')[0].split('Isi panduan')[1] ?? '';
    const sections = contents.match(/^\s*\d+\./gm)?.length ?? 0;
    expect(sections, `${g.role}: pages in the contents`).toBeGreaterThanOrEqual(5);
    const images = execFileSync('pdfimages', ['-list', file]).toString().trim().split('\n').slice(2);
    expect(images.length, `${g.role}: one picture per page`).toBe(sections);
    for (const line of images) expect(line.trim().split(/\s+/).slice(3, 5)).toEqual(['1280', '800']);
    expect(text.match(/Gambar \d+\./g)?.length).toBe(sections);
  }
  for (const p of pages) expect(statSync(join(SHOTS, `${p.key}.jpg`)).mtimeMs, p.key).toBeGreaterThanOrEqual(started);
});
