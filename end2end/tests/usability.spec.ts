import { test, expect, type Locator, type Page } from '@playwright/test';
import { DEMO, MAIN_PAGES, gotoHydrated, isPhone, login, logout, submitLetter } from './helpers';
import { giveDisposition, isoDay, registerScan } from './incoming-steps';

// What a new user tripped on, on a 390x844 phone and on a desktop: tabs that all looked current,
// confirmations off screen, a returned letter that was easy to miss, a badge that led to an empty
// tab, small touch targets.

/** The tab row of a list page: exactly one tab is current, the expected one. */
async function expectCurrentTab(page: Page, nav: string, current: string) {
  const tabs = page.getByRole('navigation', { name: nav });
  await expect(tabs.locator('[aria-current="page"]')).toHaveCount(1);
  await expect(tabs.locator('[aria-current="page"]')).toHaveText(new RegExp(`^${current}`));
}

/** On a phone every tab is fully on screen (the row wraps rather than running off the edge). */
async function tabsFitScreen(page: Page, nav: string) {
  const width = page.viewportSize()!.width;
  for (const tab of await page.getByRole('navigation', { name: nav }).getByRole('link').all()) {
    const box = (await tab.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, await tab.innerText()).toBeLessThanOrEqual(width);
    expect(box.height).toBeGreaterThanOrEqual(44);
  }
}

/** The outcome of an action is on screen where the user is, announced, and has the focus. */
async function expectFlash(page: Page, text: string) {
  const flash = page.getByTestId('flash');
  await expect(flash).toContainText(text);
  await expect(flash).toBeInViewport();
  await expect(flash).toBeFocused();
  await expect(page.getByRole('status').filter({ hasText: text })).toHaveCount(1);
}

test('exactly one tab is current on Surat Keluar and Disposisi, and the tabs fit a phone', async ({ page }, info) => {
  await login(page, DEMO.kasi);
  await gotoHydrated(page, '/surat-keluar');
  await expectCurrentTab(page, 'Daftar surat', 'Perlu Paraf');
  if (isPhone(info)) await tabsFitScreen(page, 'Daftar surat');
  await page.getByRole('navigation', { name: 'Daftar surat' }).getByRole('link', { name: /^Terkirim/ }).click();
  await expect(page).toHaveURL(/tab=terkirim/);
  await expectCurrentTab(page, 'Daftar surat', 'Terkirim');

  await gotoHydrated(page, '/disposisi');
  await expectCurrentTab(page, 'Daftar disposisi', 'Disposisi Masuk');
  if (isPhone(info)) await tabsFitScreen(page, 'Daftar disposisi');
  await page.getByRole('navigation', { name: 'Daftar disposisi' }).getByRole('link', { name: /^Lewat Tenggat/ }).click();
  await expect(page).toHaveURL(/tab=tenggat/);
  await expectCurrentTab(page, 'Daftar disposisi', 'Lewat Tenggat');
  // In English too.
  await page.goto('/bahasa/en?ke=/disposisi');
  await expectCurrentTab(page, 'Disposition lists', 'Received');
  await page.goto('/bahasa/id?ke=/');
});

test('a returned letter is counted on the menu, listed first as returned, and opens on the note', async ({ page }, info) => {
  const subject = `Surat yang dikembalikan ${info.project.name} ${Date.now()}`;
  const note = 'Lengkapi dasar hukum pada paragraf pertama.';
  await login(page, DEMO.staf);
  const id = await submitLetter(page, subject);
  await logout(page);
  // The Kasi returns it with a note, from the letter's page.
  await login(page, DEMO.kasi);
  await gotoHydrated(page, `/surat-keluar/${id}`);
  await page.getByLabel('Catatan pengembalian (wajib)').fill(note);
  await page.getByRole('button', { name: 'Kembalikan ke penyusun' }).click();
  await expectFlash(page, 'Status surat sekarang: Dikembalikan');
  await logout(page);

  await login(page, DEMO.staf);
  const navLink = page.getByRole('navigation', { name: 'Navigasi utama' }).getByRole('link', { name: /^Surat Keluar/ });
  if (isPhone(info)) {
    // The closed menu already says that something waits.
    const menu = page.getByRole('button', { name: 'Menu', exact: true });
    await expect(menu.locator('.count')).toBeVisible();
    await expect(menu).toHaveAccessibleDescription(/menunggu/);
    await menu.click();
  }
  await expect(navLink.locator('.count')).toHaveAttribute('aria-label', /dikembalikan/);
  await navLink.click();
  await expect(page).toHaveURL(/tab=draf/);
  await expectCurrentTab(page, 'Daftar surat', 'Draf');
  await expect(page.getByRole('navigation', { name: 'Daftar surat' }).getByRole('link', { name: /^Draf/ }).locator('.count')).toBeVisible();
  const item = page.locator('.letter-item').filter({ hasText: subject });
  await expect(item.locator('.badge.state.returned')).toHaveText('Dikembalikan');
  await item.getByRole('link', { name: subject }).click();
  // The note comes before the actions.
  const returned = page.getByTestId('returned-note');
  await expect(returned).toContainText(note);
  await expect(returned).toContainText('Eko Saputro');
  await expect(returned).toBeInViewport();
  const actions = page.getByRole('heading', { name: 'Tindakan' });
  expect((await returned.boundingBox())!.y).toBeLessThan((await actions.boundingBox())!.y);
  // Sifat and urgency are told apart.
  await expect(page.locator('.meta-line')).toContainText('Sifat Biasa');
  await expect(page.locator('.meta-line')).toContainText('Urgensi Biasa');
  // Withdrawn, so the demo's staff member has nothing left waiting from this test.
  await page.getByRole('button', { name: 'Tarik surat' }).click();
  await expectFlash(page, 'Status surat sekarang: Ditarik');
  await expect(returned).toHaveCount(0);
});

test('dispositions: each confirmation is in view, and the badge leads the head to the report he must accept', async ({ page }, info) => {
  test.setTimeout(240_000);
  const subject = `Undangan sosialisasi SPBE ${info.project.name} ${Date.now()}`;
  await login(page, DEMO.tu);
  const letterPath = await registerScan(page, subject);
  await logout(page);

  await login(page, DEMO.kadis);
  await gotoHydrated(page, letterPath);
  await giveDisposition(page, [/^Kepala Bidang E-Government/], isoDay(5));
  await expectFlash(page, 'Disposisi dikirim.');
  await logout(page);

  await login(page, DEMO.kabid);
  await gotoHydrated(page, letterPath);
  await page.getByLabel('Laporan tindak lanjut').fill('Sosialisasi sudah dijadwalkan bersama Bappeda.');
  await page.getByRole('button', { name: 'Laporkan tindak lanjut' }).click();
  await expectFlash(page, 'Tindak lanjut dilaporkan.');
  await logout(page);

  // The head follows the Disposisi badge: it leads to the list holding the report.
  await login(page, DEMO.kadis);
  const counts = (await (await page.request.post('/api/letter_counts', { form: {} })).json()) as { disposisi: number; disposisi_laporan: number };
  expect(counts.disposisi_laporan).toBeGreaterThanOrEqual(1);
  if (isPhone(info)) await page.getByRole('button', { name: 'Menu', exact: true }).click();
  const navLink = page.getByRole('navigation', { name: 'Navigasi utama' }).getByRole('link', { name: /^Disposisi/ });
  await expect(navLink.locator('.count')).toBeVisible();
  await navLink.click();
  if (counts.disposisi === counts.disposisi_laporan) {
    await expectCurrentTab(page, 'Daftar disposisi', 'Disposisi Keluar');
  } else {
    // New dispositions come first; the tab with the report says how many wait there.
    await expectCurrentTab(page, 'Daftar disposisi', 'Disposisi Masuk');
    const given = page.getByRole('navigation', { name: 'Daftar disposisi' }).getByRole('link', { name: /^Disposisi Keluar/ });
    await expect(given.locator('.count')).toHaveAttribute('aria-label', /laporan menunggu tanggapan/);
    await given.click();
    await page.getByLabel('Status').selectOption('reported');
    await page.getByRole('button', { name: 'Terapkan' }).click();
  }
  await expect(page.getByText('Belum ada disposisi')).toHaveCount(0);
  await page.getByRole('link', { name: subject }).click();
  await page.getByRole('button', { name: 'Terima tindak lanjut' }).first().click();
  await expectFlash(page, 'Tindak lanjut diterima.');
  // Closed, and gone when the user moves on.
  await page.getByTestId('flash').getByRole('button', { name: 'Tutup' }).click();
  await expect(page.getByTestId('flash')).toHaveCount(0);
});

test('the co-signer is asked after the recipients, and the passphrase field says what it is', async ({ page }) => {
  test.setTimeout(120_000);
  await login(page, DEMO.staf);
  await gotoHydrated(page, '/surat-keluar/baru');
  const recipients = page.getByRole('heading', { name: 'Penerima', exact: true });
  const coSigner = page.getByRole('group', { name: 'Penanda tangan kedua (opsional)' });
  await expect(coSigner).toBeVisible();
  expect((await coSigner.boundingBox())!.y).toBeGreaterThan((await recipients.boundingBox())!.y);
  await logout(page);

  // A letter that climbed the chain waits for the head's signature: the passphrase field explains
  // itself and where to go when it is forgotten.
  await login(page, DEMO.staf);
  const id = await submitLetter(page, `Surat untuk ditandatangani ${Date.now()}`);
  await logout(page);
  for (const who of [DEMO.kasi, DEMO.kabid, DEMO.sekdin]) {
    await login(page, who);
    expect((await page.request.post('/api/letter_action', { form: { id, version: '1', action: 'paraf', note: '' } })).status()).toBe(200);
    await logout(page);
  }
  await login(page, DEMO.kadis);
  await gotoHydrated(page, `/surat-keluar/${id}`);
  await expect(page.getByLabel('Passphrase TTE')).toHaveAccessibleDescription(/bukan kata sandi masuk|berbeda dari kata sandi masuk/);
  await expect(page.getByRole('link', { name: 'Sertifikat TTE Saya' })).toHaveAttribute('href', '/profil/tte#h-lupa');
  // Returned, so nothing is left waiting for the head's signature from this test.
  await page.getByLabel('Catatan pengembalian (wajib)').fill('Hanya uji coba.');
  await page.getByRole('button', { name: 'Kembalikan ke penyusun' }).click();
  await expectFlash(page, 'Dikembalikan');
  await logout(page);
  await login(page, DEMO.staf);
  expect((await page.request.post('/api/letter_action', { form: { id, version: '1', action: 'withdraw', note: '' } })).status()).toBe(200);
});

/** Visible controls a finger must hit: links, buttons, fields, summaries. Links inside running text
 * are exempt (WCAG 2.5.8 inline exception), as is the skip link (off screen until focused). */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const els = document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, summary, [role="button"]');
    for (const el of els) {
      if (el.matches('.skip-link, input[type=hidden]')) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none') continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      // A link within a sentence: its parent block has text of its own around it.
      if (el.tagName === 'A' && el.closest('p, .muted, .hint, dd') && !el.closest('nav')) continue;
      // A checkbox or radio counts with its label, which is the target.
      const target = el.matches('input[type=checkbox], input[type=radio]') ? (el.closest('label') ?? el) : el;
      const h = target.getBoundingClientRect().height;
      if (h < 44) out.push(`${el.tagName.toLowerCase()} "${(el.innerText || el.getAttribute('aria-label') || el.getAttribute('name') || '').trim().slice(0, 40)}" ${Math.round(h)}px`);
    }
    return out;
  });
}


test('on a phone every control of the main pages is at least 44 px tall', async ({ page }, info) => {
  test.skip(!isPhone(info), 'touch targets are a phone matter');
  test.setTimeout(180_000);
  let who: string | null = null;
  const found: string[] = [];
  for (const p of MAIN_PAGES) {
    if (who !== p.who) {
      if (who) await logout(page);
      await login(page, DEMO[p.who]);
      who = p.who;
    }
    await gotoHydrated(page, p.path);
    // The navigation too, as the open menu shows it.
    const menu: Locator = page.getByRole('button', { name: 'Menu', exact: true });
    await menu.click();
    for (const s of await smallTargets(page)) found.push(`${p.path}: ${s}`);
    await menu.click();
  }
  expect(found).toEqual([]);
});
