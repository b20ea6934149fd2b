import { test, expect, type Page } from '@playwright/test';
import { DEMO, gotoHydrated, isPhone, login, logout } from './helpers';

// The satisfaction survey on the Beranda: offered once a month, answered without the person, and
// counted per OPD on the Admin Pemda's page. Each viewport uses its own people, as an answer or a
// "Nanti saja" holds for the whole month.

async function survey(page: Page) {
  await gotoHydrated(page, '/');
  return page.getByTestId('survey');
}

test('a person answers the survey once a month and the Admin Pemda sees it per OPD, without the name', async ({ page }, info) => {
  const [answerer, dismisser] = isPhone(info) ? [DEMO.staf, DEMO.bappeda] : [DEMO.kabid, DEMO.sekdin];
  const comment = `Daftar surat lambat dibuka di HP (${info.project.name} ${Date.now()})`;
  await login(page, answerer);
  const card = await survey(page);
  await expect(card.getByRole('heading', { name: 'Survei kepuasan pengguna' })).toBeVisible();
  const levels = card.getByRole('group', { name: 'Seberapa puas Anda dengan e-Office bulan ini?' });
  await expect(levels.getByRole('radio')).toHaveCount(4);
  await expect(levels).toHaveAccessibleDescription(/tanpa nama/);
  // Without a level: told what to do, and the comment is still there.
  await card.getByLabel('Komentar atau saran (opsional)').fill(comment);
  await card.getByRole('button', { name: 'Kirim penilaian' }).click();
  const flash = page.getByTestId('flash');
  await expect(flash).toContainText('Pilih salah satu tingkat kepuasan');
  await expect(flash).toBeInViewport();
  await expect(card.getByLabel('Komentar atau saran (opsional)')).toHaveValue(comment);
  await levels.getByRole('radio', { name: 'Cukup Puas' }).check();
  await card.getByRole('button', { name: 'Kirim penilaian' }).click();
  await expect(flash).toContainText('Terima kasih');
  await expect(flash).toBeFocused();
  await expect(card).toHaveCount(0);
  // Not offered again this month.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Pintasan' })).toBeVisible();
  await expect(page.getByTestId('survey')).toHaveCount(0);
  await logout(page);

  // Someone else puts it off: gone for the month, nothing counted.
  await login(page, dismisser);
  const other = await survey(page);
  await other.getByRole('button', { name: 'Nanti saja' }).click();
  await expect(flash).toContainText('bulan depan');
  await expect(other).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Pintasan' })).toBeVisible();
  await expect(page.getByTestId('survey')).toHaveCount(0);
  await logout(page);

  // The Admin Pemda sees the answer counted for the OPD and the comment, with no name.
  await login(page, DEMO.adminPemda);
  await gotoHydrated(page, '/admin');
  const results = page.getByTestId('survey-results');
  await expect(results.getByRole('heading', { name: 'Survei kepuasan pengguna' })).toBeVisible();
  const table = results.getByRole('table', { name: 'Kepuasan pengguna per OPD' });
  const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Dinas Komunikasi dan Informatika' }) });
  await expect(row).toHaveCount(1);
  const cukup = await table.getByRole('columnheader').allInnerTexts();
  const col = cukup.findIndex((h) => /cukup puas/i.test(h));
  expect(col).toBeGreaterThan(0);
  expect(Number(await row.getByRole('cell').nth(col - 1).innerText())).toBeGreaterThanOrEqual(1);
  const said = results.getByRole('listitem').filter({ hasText: comment });
  await expect(said).toHaveCount(1);
  await expect(said).toContainText('Cukup Puas');
  await expect(said).not.toContainText(/Putri|Teguh/);
  const api = await page.request.post('/api/survey_report', { form: {} });
  expect(api.status()).toBe(200);
  expect(JSON.stringify(await api.json())).not.toMatch(/putri|teguh|198909012013052020|198107152007071018/i);
  await logout(page);

  // Nobody else reads the results: not the Admin OPD, by page or by API.
  await login(page, DEMO.adminOpd);
  await gotoHydrated(page, '/admin');
  await expect(page.getByRole('heading', { name: 'Administrasi' })).toBeVisible();
  await expect(page.getByTestId('survey-results')).toHaveCount(0);
  expect((await page.request.post('/api/survey_report', { form: {} })).status()).toBe(403);
});

test('the survey works by keyboard and in English', async ({ page }, info) => {
  const who = isPhone(info) ? DEMO.tu : DEMO.kadis;
  await login(page, who);
  await page.goto('/bahasa/en?ke=/');
  const card = page.getByTestId('survey');
  await expect(card.getByRole('heading', { name: 'User satisfaction survey' })).toBeVisible();
  const levels = card.getByRole('group', { name: 'How satisfied are you with e-Office this month?' });
  await levels.getByRole('radio', { name: 'Very satisfied' }).focus();
  await page.keyboard.press('ArrowDown');
  await expect(levels.getByRole('radio', { name: 'Satisfied', exact: true })).toBeChecked();
  await page.keyboard.press('Tab');
  await expect(card.getByLabel('Comment or suggestion (optional)')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(card.getByRole('button', { name: 'Send rating' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('flash')).toContainText('Thank you');
  await expect(card).toHaveCount(0);
  await page.goto('/bahasa/id?ke=/');
});
