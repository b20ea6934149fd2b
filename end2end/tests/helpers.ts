import { expect, type Page, type TestInfo } from '@playwright/test';

export const DEMO_PASSWORD = 'eoffice2026';

/** Demo accounts seeded by the app, keyed by role. */
export const DEMO = {
  kadis: 'bambang.sutrisno@bojonegorokab.go.id',
  sekdin: 'ratna.kusumawati@bojonegorokab.go.id',
  kabid: 'teguh.wibowo@bojonegorokab.go.id',
  kasi: 'eko.saputro@bojonegorokab.go.id',
  staf: 'putri.ayu@bojonegorokab.go.id',
  tu: 'sri.wahyuni@bojonegorokab.go.id',
  adminOpd: 'agus.prasetyo@bojonegorokab.go.id',
  adminPemda: 'arif.setiawan@bojonegorokab.go.id',
  bappeda: 'suharto.wijaya@bojonegorokab.go.id',
} as const;

/** The app sets data-hydrated="true" on <html> once the WASM has hydrated. */
export async function waitForHydration(page: Page): Promise<void> {
  await page.waitForSelector('html[data-hydrated="true"]', { state: 'attached' });
}

export async function gotoHydrated(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await waitForHydration(page);
}

export async function login(page: Page, email: string, password: string = DEMO_PASSWORD): Promise<void> {
  await gotoHydrated(page, '/masuk');
  await page.getByLabel('NIP atau email', { exact: true }).fill(email);
  await page.getByLabel('Kata sandi', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Masuk', exact: true }).click();
  await expect(page).not.toHaveURL(/\/masuk/);
  // The app reloads the page after login; wait until the new page is interactive.
  await waitForHydration(page);
}

export async function logout(page: Page): Promise<void> {
  // The menu and the logout button only work once the page is interactive.
  await waitForHydration(page);
  const menu = page.getByRole('button', { name: 'Menu', exact: true });
  if (await menu.isVisible()) {
    await menu.click();
  }
  await page.getByRole('button', { name: 'Keluar', exact: true }).click();
  await expect(page).toHaveURL(/\/masuk/);
}

export function isPhone(testInfo: TestInfo): boolean {
  return testInfo.project.name === 'phone';
}
