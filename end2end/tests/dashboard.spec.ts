import { test, expect, type Browser, type Page, type TestInfo } from '@playwright/test';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO, gotoHydrated, isPhone, login, openNav, submitLetter } from './helpers';

const SEKDA = 'nurul.azizah@bojonegorokab.go.id';

/** The browser settings of this project's viewport (phone or desktop), on the server at `baseURL`. */
function contextOptions(info: TestInfo, baseURL?: string) {
  const u = info.project.use;
  return {
    viewport: u.viewport,
    isMobile: u.isMobile,
    hasTouch: u.hasTouch,
    deviceScaleFactor: u.deviceScaleFactor,
    userAgent: u.userAgent,
    locale: 'id-ID',
    baseURL: baseURL ?? u.baseURL,
  };
}

/** A page of its own (cookies apart) for one person, logged in, on the server at `baseURL`. */
async function personPage(browser: Browser, info: TestInfo, email: string, baseURL?: string): Promise<Page> {
  const ctx = await browser.newContext(contextOptions(info, baseURL));
  const page = await ctx.newPage();
  await login(page, email);
  return page;
}

/** The staff member drafts and submits a letter and the Kasi initials it: it then waits at the Kabid. */
async function letterAtKabid(browser: Browser, info: TestInfo, subject: string, baseURL?: string): Promise<string> {
  const staf = await personPage(browser, info, DEMO.staf, baseURL);
  const id = await submitLetter(staf, subject);
  await staf.context().close();
  const kasi = await personPage(browser, info, DEMO.kasi, baseURL);
  const res = await kasi.request.post('/api/letter_action', { form: { id, version: '1', action: 'paraf', note: '' } });
  expect(res.status()).toBe(200);
  await kasi.context().close();
  return id;
}

/** Opens the head's dashboard narrowed to letters waiting at the Kepala Bidang level (the level's
 * figure links there) and returns the item of the letter. */
async function stuckItem(page: Page, subject: string) {
  await gotoHydrated(page, '/dashboard');
  await page.getByTestId('waiting-levels').getByRole('link', { name: 'Kepala Bidang' }).click();
  await expect(page.getByRole('heading', { name: 'Menunggu di tingkat Kepala Bidang' })).toBeVisible();
  return page.getByTestId('stuck-item').filter({ hasText: subject });
}

test('the Kepala Dinas sees a letter stuck at the Kabid and reminds him; the Kabid hears it live and acts', async ({ page, browser }, info) => {
  test.setTimeout(180_000);
  const subject = `Data SPBE tertahan ${info.project.name} ${Date.now()}`;
  const id = await letterAtKabid(browser, info, subject);

  // The Kabid has the Beranda open.
  const kabid = await personPage(browser, info, DEMO.kabid);
  const bell = kabid.getByRole('link', { name: /^Notifikasi/ });
  // Connected to the live stream (its first event gives the count so far).
  await expect(bell).toHaveAttribute('data-live', 'true');
  const count = bell.locator('.bell-count');
  const before = (await count.count()) ? Number(await count.textContent()) : 0;

  // The Kepala Dinas opens the dashboard from the menu.
  await login(page, DEMO.kadis);
  await openNav(page, 'Dasbor');
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId('dash-title')).toHaveText('Dinas Komunikasi dan Informatika');
  for (const tile of ['tile-waiting', 'tile-overdue', 'tile-active', 'tile-quadrants']) {
    await expect(page.getByTestId(tile)).toBeVisible();
  }
  await expect(page.getByTestId('scatter').or(page.getByText('Belum ada data kinerja bulan ini untuk digambar.'))).toBeVisible();
  await page.screenshot({ path: info.outputPath(`dasbor-kepala-dinas-${info.project.name}.png`), fullPage: true });

  const item = await stuckItem(page, subject);
  await expect(item).toContainText('Teguh Wibowo');
  await item.getByRole('button', { name: /^Ingatkan/ }).click();
  await expect(page.getByTestId('remind-ok')).toBeVisible();
  await expect(item).toContainText('Diingatkan');
  // A second reminder at once is refused, with the reason.
  await item.getByRole('button', { name: /^Ingatkan/ }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Pengingat untuk item ini sudah dikirim' })).toBeVisible();

  // The Kabid's open page shows it without reloading: the toast and the bell's count.
  const toast = kabid.getByTestId('notif-toast');
  await expect(toast).toContainText('Pengingat dari');
  await expect(toast).toContainText(subject);
  await expect(count).toHaveText(String(before + 1));
  // He follows it to the letter and initials it.
  await toast.getByRole('link', { name: new RegExp(subject) }).click();
  await expect(kabid).toHaveURL(new RegExp(`/surat-keluar/${id}$`));
  await expect(kabid.getByText('Diingatkan pimpinan')).toBeVisible();
  await kabid.getByRole('button', { name: 'Setujui (paraf)', exact: true }).click();
  await expect(kabid.getByRole('status').filter({ hasText: 'Berhasil.' })).toBeVisible();
  // The notification page lists the reminder.
  await gotoHydrated(kabid, '/notifikasi');
  await expect(kabid.getByRole('heading', { level: 1, name: 'Notifikasi' })).toBeVisible();
  await expect(kabid.getByRole('link', { name: new RegExp(`Pengingat dari .*${subject}`) }).first()).toBeVisible();
  // His profile shows where he stands on the quadrants this month.
  await gotoHydrated(kabid, '/profil');
  const history = kabid.getByTestId('quadrant-history');
  await expect(history.getByRole('heading', { name: 'Riwayat kuadran kinerja' })).toBeVisible();
  await expect(history.getByRole('row').filter({ hasText: 'berjalan' })).toHaveCount(1);
  await kabid.context().close();

  // The dashboard no longer has it at the Kabid: it now waits at the Sekretaris.
  await gotoHydrated(page, '/dashboard?tingkat=3');
  await expect(page.getByTestId('stuck-item').filter({ hasText: subject })).toHaveCount(0);
  await gotoHydrated(page, '/dashboard?tingkat=2');
  await expect(page.getByTestId('stuck-item').filter({ hasText: subject })).toContainText('Sekretaris');
  if (isPhone(info)) {
    // Nothing on the phone is wider than the screen.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  }
});

test('the Kepala Dinas escalates a letter stuck at the Kabid, with a reason; it moves on to the Sekretaris', async ({ page, browser }, info) => {
  test.setTimeout(120_000);
  const subject = `Eskalasi paraf ${info.project.name} ${Date.now()}`;
  const id = await letterAtKabid(browser, info, subject);
  await login(page, DEMO.kadis);
  const item = await stuckItem(page, subject);
  await item.getByText('Tindakan lain').click();
  // A reason that is too short is refused by the server with its message (the form's own check is bypassed).
  const res = await page.request.post('/api/escalate_item', { form: { kind: 'letter', id, note: 'ok' } });
  expect(res.status()).toBe(422);
  expect(await res.text()).toContain('Tulis alasannya');
  await item.getByLabel('Alasan eskalasi').fill('Kepala Bidang sedang dinas luar');
  await item.getByRole('button', { name: 'Eskalasi ke atasan' }).click();
  await expect(page.getByTestId('remind-ok')).toContainText('Dieskalasi ke atasan');
  await gotoHydrated(page, '/dashboard?tingkat=2');
  await expect(page.getByTestId('stuck-item').filter({ hasText: subject })).toContainText('Sekretaris');
  // The letter's history records it, with the reason.
  await gotoHydrated(page, `/surat-keluar/${id}`);
  await expect(page.getByText('Dieskalasi pimpinan (paraf dilewati)')).toBeVisible();
  await expect(page.getByText('Kepala Bidang sedang dinas luar')).toBeVisible();
});

test('the Sekda sees every OPD and drills into Dinas Kominfo; staff have no dashboard', async ({ page, browser }, info) => {
  // The staff member has no dashboard entry, and the address answers with a refusal. (The Sekda
  // below reaches the same address.)
  const staf = await personPage(browser, info, DEMO.staf);
  await gotoHydrated(staf, '/dashboard');
  await expect(staf.getByRole('alert')).toContainText('di luar kewenangan Anda');
  await staf.context().close();

  await login(page, SEKDA);
  await gotoHydrated(page, '/dashboard');
  await expect(page.getByTestId('dash-title')).toHaveText('Pemerintah Kabupaten Bojonegoro');
  const usage = page.getByTestId('usage');
  await expect(usage.getByRole('columnheader', { name: 'OPD' })).toBeVisible();
  await expect(usage.getByRole('link', { name: 'Bappeda' })).toBeVisible();
  await page.screenshot({ path: info.outputPath(`dasbor-sekda-${info.project.name}.png`), fullPage: true });
  await usage.getByRole('link', { name: 'Dinas Kominfo' }).click();
  await expect(page.getByTestId('dash-title')).toHaveText('Dinas Komunikasi dan Informatika');
  await expect(page.getByTestId('usage').getByRole('link', { name: 'Bidang E-Government' })).toBeVisible();
  // Further down into a division, and back up by the trail.
  await page.getByTestId('usage').getByRole('link', { name: 'Bidang E-Government' }).click();
  await expect(page.getByTestId('dash-title')).toHaveText('Bidang E-Government');
  const trail = page.getByRole('navigation', { name: 'Lingkup dasbor' });
  await expect(trail.getByRole('link', { name: 'Dinas Kominfo' })).toBeVisible();
  await trail.getByRole('link', { name: 'Pemerintah Kabupaten Bojonegoro' }).click();
  await expect(page.getByTestId('dash-title')).toHaveText('Pemerintah Kabupaten Bojonegoro');
  // The charts are drawn on the server: readable with JavaScript off.
  const ctx = await browser.newContext({ ...contextOptions(info), javaScriptEnabled: false, storageState: await page.context().storageState() });
  const plain = await ctx.newPage();
  await plain.goto('/dashboard');
  await expect(plain.getByTestId('trend')).toBeVisible();
  await expect(plain.getByTestId('trend-table')).toBeVisible();
  await ctx.close();
});

/** The release binary and the built site, as scripts/env.sh names them. */
function eofficeBin(): { bin: string; site: string } {
  const target = process.env.CARGO_TARGET_DIR || join(homedir(), '.cache/eoffice/target');
  return { bin: process.env.EOFFICE_BIN || join(target, 'release/eoffice'), site: process.env.EOFFICE_SITE_ROOT || join(target, 'site') };
}

async function waitUp(url: string): Promise<void> {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not come up`);
}

test('two server copies on one PostgreSQL database: a reminder made on one reaches a page on the other', async ({ browser }, info) => {
  test.setTimeout(240_000);
  const pgAdmin = process.env.EOFFICE_TEST_PG || 'postgres://postgres@127.0.0.1:5432/postgres';
  const db = `eoffice_e2e_${info.project.name}_${Date.now()}`;
  execFileSync('psql', [pgAdmin, '-q', '-c', `CREATE DATABASE ${db}`]);
  const url = pgAdmin.replace(/\/[^/]*$/, `/${db}`);
  const data = mkdtempSync(join(tmpdir(), 'eoffice-e2e-pg-'));
  const { bin, site } = eofficeBin();
  const base = Number(process.env.E2E_PORT || '3100') + (info.project.name === 'phone' ? 20 : 30);
  const copies: ChildProcess[] = [];
  const start = async (port: number) => {
    const child = spawn(bin, ['serve', '--addr', `127.0.0.1:${port}`, '--data', data, '--site-root', site, '--demo'], {
      env: { ...process.env, DATABASE_URL: url },
      stdio: 'ignore',
    });
    copies.push(child);
    await waitUp(`http://127.0.0.1:${port}/masuk`);
    return `http://127.0.0.1:${port}`;
  };
  try {
    // The first copy creates and seeds the database; the second joins it.
    const a = await start(base);
    const b = await start(base + 1);
    const subject = `Lintas salinan ${info.project.name} ${Date.now()}`;
    await letterAtKabid(browser, info, subject, a);
    // The Kabid's page is served by copy B.
    const kabid = await personPage(browser, info, DEMO.kabid, b);
    await expect(kabid.getByRole('link', { name: /^Notifikasi/ })).toHaveAttribute('data-live', 'true');
    // The Kepala Dinas reminds him through copy A.
    const ctx = await browser.newContext(contextOptions(info, a));
    const kadis = await ctx.newPage();
    await login(kadis, DEMO.kadis);
    const item = await stuckItem(kadis, subject);
    await item.getByRole('button', { name: /^Ingatkan/ }).click();
    await expect(kadis.getByTestId('remind-ok')).toBeVisible();
    await expect(kabid.getByTestId('notif-toast')).toContainText(subject);
    await ctx.close();
    await kabid.context().close();
  } finally {
    for (const c of copies) c.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    rmSync(data, { recursive: true, force: true });
    try {
      execFileSync('psql', [pgAdmin, '-q', '-c', `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`]);
    } catch {
      // the database is left for the machine's cleanup
    }
  }
});

test('the Kepala Dinas reassigns an overdue disposition to another official, who is told', async ({ page, browser }, info) => {
  // `serve --demo` leaves one disposition overdue at the Kabid E-Government. The phone run moves it
  // to the Kasi, the desktop run back to the Kabid, so the demo ends as it began.
  test.setTimeout(120_000);
  const subject = 'Permohonan dukungan jaringan internet sekolah';
  await login(page, DEMO.kadis);
  await gotoHydrated(page, '/dashboard');
  const item = page.locator('#terlambat').getByTestId('stuck-item').filter({ hasText: subject });
  await expect(item).toHaveCount(1);
  // Who holds it now: the reminder button names them (the item's text also lists every choice).
  const atKabid = (await item.getByRole('button', { name: /^Ingatkan Teguh Wibowo/ }).count()) === 1;
  const [toName, toEmail] = atKabid ? ['Eko Saputro', DEMO.kasi] : ['Teguh Wibowo', DEMO.kabid];
  await item.getByText('Tindakan lain').click();
  const select = item.getByLabel('Alihkan kepada');
  const options = await select.locator('option').allTextContents();
  const target = options.find((o) => o.includes(toName));
  expect(target, options.join(' | ')).toBeTruthy();
  // Without a reason the server refuses (the form's own check bypassed): the call is answered ...
  const id = await select.evaluate((el) => (el.closest('form')?.querySelector('input[name=id]') as HTMLInputElement).value);
  const to = await select.locator('option', { hasText: toName }).getAttribute('value');
  const bad = await page.request.post('/api/reassign_item', { form: { id, to: to ?? '', note: '' } });
  expect(bad.status()).toBe(422);
  await select.selectOption({ label: target! });
  await item.getByLabel('Alasan pengalihan').fill('Kepala Bidang sedang mengikuti diklat');
  await item.getByRole('button', { name: 'Alihkan' }).click();
  await expect(page.getByTestId('remind-ok')).toContainText('Disposisi dialihkan');
  await expect(page.locator('#terlambat').getByTestId('stuck-item').filter({ hasText: subject })).toContainText(toName);
  // The new holder hears of it, with the reason.
  const holder = await personPage(browser, info, toEmail);
  await gotoHydrated(holder, '/notifikasi');
  await expect(holder.getByRole('link', { name: new RegExp(`Disposisi dialihkan kepada Anda.*${subject}.*diklat`) }).first()).toBeVisible();
  await holder.context().close();
});

test('the Kepala Dinas puts someone from quadrant A forward for a reward; it is recorded once', async ({ page, browser }, info) => {
  test.setTimeout(180_000);
  // The Kasi's paraf is e-Office work done within the service level: with the quadrant lines at
  // their lowest he stands in quadrant A.
  await letterAtKabid(browser, info, `Usulan kuadran ${info.project.name} ${Date.now()}`);
  const admin = await personPage(browser, info, DEMO.adminPemda);
  const lines = async (x: string, y: string) => {
    await gotoHydrated(admin, '/kinerja/pengaturan');
    await admin.getByLabel('Garis kuadran produktivitas (% target)').fill(x);
    await admin.getByLabel('Garis kuadran kualitas dan ketepatan (%)').fill(y);
    await admin.getByRole('button', { name: 'Simpan pengaturan' }).click();
    await expect(admin.getByRole('status').filter({ hasText: 'Pengaturan disimpan.' })).toBeVisible();
  };
  await lines('0,01', '0,01');
  try {
    await login(page, DEMO.kadis);
    await gotoHydrated(page, '/dashboard');
    const table = page.getByTestId('quad-table');
    if (!(await table.isVisible())) {
      await page.getByText('Tabel pegawai per kuadran').click();
    }
    const row = table.getByRole('row').filter({ hasText: 'Eko Saputro' });
    await expect(row.getByRole('cell').first()).toHaveText('A');
    const [kind, label] = isPhone(info) ? ['reward', 'Kandidat penghargaan'] : ['promotion', 'Kandidat promosi'];
    await row.getByText('Usulkan Eko Saputro').click();
    await row.getByLabel('Jenis usulan').selectOption(kind);
    await row.getByLabel('Alasan').fill('Paraf selalu tepat waktu bulan ini');
    await row.getByRole('button', { name: 'Usulkan', exact: true }).click();
    await expect(page.getByTestId('remind-ok')).toContainText('Usulan dicatat');
    await expect(page.getByTestId('quad-table').getByRole('row').filter({ hasText: 'Eko Saputro' })).toContainText(label);
    // The same proposal twice in a month is refused with a reason.
    const emp = await row.locator('input[name=employee_id]').getAttribute('value');
    const again = await page.request.post('/api/propose_candidate', { form: { employee_id: emp ?? '', kind, note: 'Sekali lagi' } });
    expect(again.status()).toBe(409);
    // The Kasi is told.
    const kasi = await personPage(browser, info, DEMO.kasi);
    await gotoHydrated(kasi, '/notifikasi');
    await expect(kasi.getByText(/mengusulkan Anda sebagai kandidat/).first()).toBeVisible();
    await kasi.context().close();
  } finally {
    await lines('100', '80');
    await admin.context().close();
  }
});
