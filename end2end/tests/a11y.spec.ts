import { test, expect, type Page } from '@playwright/test';
import { DEMO, MAIN_PAGES, audit, gotoHydrated, login, logout } from './helpers';

// An axe-core audit (WCAG 2.2 A/AA and axe's best practices) of the login page and the twelve main
// pages, in Bahasa Indonesia and in English, on the phone and the desktop viewport: no serious or
// critical violation. Each finding is reported with the elements it concerns.

async function setLanguage(page: Page, lang: 'id' | 'en') {
  await page.goto(`/bahasa/${lang}?ke=/`);
}

for (const lang of ['id', 'en'] as const) {
  test(`accessibility audit of the main pages (${lang})`, async ({ page }) => {
    test.setTimeout(240_000);
    const found: string[] = [];
    await setLanguage(page, lang);
    await gotoHydrated(page, '/masuk');
    found.push(...(await audit(page, '/masuk')));
    let who: string | null = null;
    for (const p of MAIN_PAGES) {
      if (who !== p.who) {
        // The helpers speak Indonesian: log out and in on Indonesian pages.
        await setLanguage(page, 'id');
        if (who) await gotoHydrated(page, '/').then(() => logout(page));
        await login(page, DEMO[p.who]);
        await setLanguage(page, lang);
        who = p.who;
      }
      await gotoHydrated(page, p.path);
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      found.push(...(await audit(page, p.path)));
    }
    await setLanguage(page, 'id');
    expect(found).toEqual([]);
  });
}
