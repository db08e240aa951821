/**
 * Browser end-to-end helpers: builds the widget and console bundles, opens Chromium
 * contexts on fresh profiles, and drives the two UIs (the demo host page with the
 * widget, the agent console) through their stable data-testid hooks.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { buildConsole } from '../../console/build';
import { buildWidget } from '../../widget/build';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];
const ROOT = path.resolve(__dirname, '../..');
export const SCREENSHOTS = path.join(ROOT, 'test-results/screenshots');

export async function buildUi(): Promise<void> {
  await Promise.all([buildWidget(), buildConsole()]);
}

/** A browser on a new, empty profile (its own storage), closed and removed by the returned function. */
export async function openBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-e2e-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    args: ARGS,
    headless: true,
    viewport: { width: 1280, height: 800 },
    locale: 'en-US',
  });
  context.setDefaultTimeout(15_000);
  return {
    context,
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function page(context: BrowserContext): Promise<Page> {
  const p = context.pages()[0] ?? (await context.newPage());
  p.on('pageerror', (err) => console.error('page error:', err.message));
  return p;
}

/**
 * Makes the page believe the console is in the background with notifications allowed,
 * and records every desktop notification it shows; read them with `notifications(page)`.
 */
export async function recordNotifications(p: Page): Promise<void> {
  await p.addInitScript(() => {
    const shown: { title: string; body: string }[] = [];
    Object.defineProperty(window, '__notifications', { value: shown });
    Object.defineProperty(document, 'visibilityState', { get: () => 'hidden' });
    class RecordedNotification {
      static permission = 'granted';
      static requestPermission = () => Promise.resolve('granted');
      onclick: (() => void) | null = null;
      constructor(title: string, options: { body?: string } = {}) {
        shown.push({ title, body: options.body ?? '' });
      }
      close(): void {}
    }
    Object.defineProperty(window, 'Notification', { value: RecordedNotification, configurable: true });
  });
}

export function notifications(p: Page): Promise<{ title: string; body: string }[]> {
  return p.evaluate(
    () => (window as unknown as { __notifications: { title: string; body: string }[] }).__notifications,
  );
}

/** Saves a screenshot for this run, and optionally as the current one in docs/screenshots/. */
export async function screenshot(p: Page, name: string, docs = false): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await p.screenshot({ path: file });
  if (docs) {
    mkdirSync(path.join(ROOT, 'docs/screenshots'), { recursive: true });
    copyFileSync(file, path.join(ROOT, 'docs/screenshots', `${name}.png`));
  }
}

// ---- the widget on the demo host page (Playwright's CSS locators pierce its open shadow root) ----

export class VisitorPage {
  constructor(
    readonly page: Page,
    private readonly url: string,
    private readonly inboxKey: string,
  ) {}

  tid(id: string): Locator {
    return this.page.locator(`[data-testid="${id}"]`);
  }

  async open(): Promise<void> {
    await this.page.goto(`${this.url}/demo/?inbox=${encodeURIComponent(this.inboxKey)}`);
    await this.tid('launcher').click();
    await this.tid('panel').waitFor({ state: 'visible' });
  }

  async write(text: string): Promise<void> {
    await this.tid('composer').fill(text);
    await this.tid('composer').press('Enter');
  }

  messages(direction?: 'in' | 'out'): Locator {
    return this.tid('log').locator(
      direction ? `[data-testid="message"][data-direction="${direction}"]` : '[data-testid="message"]',
    );
  }

  message(text: string): Locator {
    return this.messages().filter({ has: this.page.getByText(text, { exact: true }) });
  }
}

// ---- the agent console ----

export class ConsolePage {
  constructor(
    readonly page: Page,
    private readonly url: string,
  ) {}

  tid(id: string): Locator {
    return this.page.locator(`[data-testid="${id}"]`);
  }

  async login(email: string, password: string): Promise<void> {
    await this.page.goto(`${this.url}/console/`);
    await this.tid('login-email').fill(email);
    await this.tid('login-password').fill(password);
    await this.tid('login-submit').click();
    await this.page.locator('[data-testid="me"][data-presence="online"]').waitFor();
  }

  offer(conversationId?: string): Locator {
    return this.tid('offer').and(
      this.page.locator(conversationId ? `[data-conversation-id="${conversationId}"]` : '*'),
    );
  }

  history(text: string): Locator {
    return this.tid('history').locator('[data-testid="history-text"]', { hasText: text });
  }

  async reply(text: string, note = false): Promise<void> {
    await this.tid(note ? 'mode-note' : 'mode-reply').check();
    await this.tid('reply-text').fill(text);
    await this.tid('reply-send').click();
  }
}
