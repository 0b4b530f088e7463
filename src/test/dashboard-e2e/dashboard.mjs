// The dashboard in a real browser (Debian's Chromium through playwright-core), against the local host
// and the local OpenID provider that DashboardBrowserIT started. Each step is what a user does; the
// script prints one JSON line of what it saw (for the Java side to compare with the API) and exits 1
// at the first step that fails, naming it. Screenshots of each page go to $SCREENSHOTS.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const base = process.env.BASE_URL;
const screenshots = process.env.SCREENSHOTS;
const device = process.env.DEVICE;          // a device of the simulated fleet
const hotDevice = process.env.HOT_DEVICE;   // the one whose overheat opened an alert
const executablePath = process.env.CHROMIUM;
mkdirSync(screenshots, { recursive: true });

const browser = await chromium.launch({
  executablePath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const problems = [];
const seen = {};
let step = 'start';
let expectedStatus = null; // the HTTP status a step provokes on purpose

async function newPage(viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  // Only the dashboard's own pages count: the identity provider's login page is not ours.
  // Chromium logs every 4xx answer as a console error; the steps that ask for one on purpose say so.
  const ours = () => page.url().startsWith(base);
  const expected = (text) => expectedStatus !== null && text.includes(`status of ${expectedStatus}`);
  page.on('console', (message) => {
    if (message.type() === 'error' && ours() && !expected(message.text())) problems.push(`console (${step}): ${message.text()}`);
  });
  page.on('pageerror', (error) => { if (ours()) problems.push(`page error (${step}): ${error.message}`); });
  return page;
}

async function signIn(page, username) {
  await page.goto(`${base}/`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[type="submit"]').click();
  await page.waitForURL((url) => url.origin === new URL(base).origin);
  await page.locator('#me').waitFor();
}

/** The subscriptions view is complete once its list has arrived (route() moves focus after that). */
async function subscriptionsListed(page) {
  await page.getByText('No conversation is subscribed to alerts.').or(page.locator('#view table')).waitFor();
}

async function shot(page, name) {
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}

try {
  step = 'viewer signs in and sees the fleet';
  const viewer = await newPage();
  await signIn(viewer, 'viewer');
  seen.viewerName = await viewer.locator('#me').innerText();
  await viewer.locator(`tr[data-device="${device}"]`).waitFor();
  seen.fleetRows = await viewer.locator('tbody tr').count();
  seen.deviceStatus = await viewer.locator(`tr[data-device="${device}"] td.status`).innerText();
  await viewer.locator(`tr[data-device="${hotDevice}"] svg.spark`).waitFor();
  await shot(viewer, 'fleet');

  step = 'viewer opens a device and reads a window';
  await viewer.locator(`tr[data-device="${device}"] a`).click();
  await viewer.locator('#chart canvas').first().waitFor();
  const row = viewer.locator('#windows tbody tr').nth(1); // the newest window may still be filling; the one before is closed
  seen.window = { device, start: await row.getAttribute('data-start'), avg: Number(await row.locator('td.avg').innerText()) };
  seen.metric = await viewer.locator('#metric').inputValue();
  // The screenshot: the overheating device's temperature, with its alert marked on the chart.
  await viewer.goto(`${base}/devices/${encodeURIComponent(hotDevice)}`);
  await viewer.locator('#chart canvas').first().waitFor();
  await viewer.locator('#metric').selectOption('temperature');
  await viewer.locator('#chart', { hasText: '1 alert opened' }).waitFor();
  await shot(viewer, 'device');

  step = 'viewer cannot act on alerts';
  await viewer.getByRole('link', { name: 'Alerts', exact: true }).click();
  await viewer.locator(`tr[data-state="open"]`).first().waitFor();
  seen.viewerAckButtons = await viewer.locator('button.ack').count();
  seen.viewerSubscriptionsLink = await viewer.locator('#nav-subscriptions').isVisible();
  expectedStatus = 403;
  seen.viewerRefused = await viewer.evaluate(async (alertId) => {
    const key = Object.keys(sessionStorage).find((k) => k.startsWith('oidc.user:'));
    const token = JSON.parse(sessionStorage.getItem(key)).access_token;
    const response = await fetch(`/app/api/alerts/${alertId}/ack`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
    return { status: response.status, detail: (await response.json()).detail };
  }, await viewer.locator('tr[data-state="open"]').first().getAttribute('data-alert'));
  expectedStatus = null;
  await viewer.getByRole('button', { name: 'Sign out' }).click();
  await viewer.getByRole('button', { name: 'Sign in' }).waitFor();
  await viewer.context().close();

  step = 'operator acknowledges the overheat alert';
  const operator = await newPage();
  await signIn(operator, 'operator');
  await operator.getByRole('link', { name: 'Alerts', exact: true }).click();
  const hot = operator.locator('tr[data-state="open"]', { has: operator.locator(`a[href="/devices/${hotDevice}"]`) }).first();
  const alertId = await hot.getAttribute('data-alert');
  operator.once('dialog', (dialog) => dialog.accept('on my way'));
  await hot.locator('button.ack').click();
  const acknowledged = operator.locator(`tr[data-alert="${alertId}"][data-state="acknowledged"]`);
  await acknowledged.waitFor();
  seen.acknowledged = { alertId, by: await acknowledged.locator('td.by').innerText() };
  await shot(operator, 'alerts');

  step = 'operator creates a rule, first with a mistake';
  await operator.getByRole('link', { name: 'Rules', exact: true }).click();
  await operator.getByRole('button', { name: 'New rule' }).click();
  const form = operator.locator('#rule-form');
  await form.locator('input[name="id"]').fill('e2e-humid');
  await form.locator('input[name="name"]').fill('Too humid');
  await form.locator('input[name="metric"]').fill('humidity');
  await form.locator('input[name="threshold"]').fill('lots');
  expectedStatus = 400;
  await form.getByRole('button', { name: 'Create' }).click();
  await operator.locator('#error-threshold:not(:empty)').waitFor();
  seen.thresholdError = await operator.locator('#error-threshold').innerText();
  await shot(operator, 'rule-error');
  expectedStatus = null;
  await form.locator('input[name="threshold"]').fill('85');
  await form.getByRole('button', { name: 'Create' }).click();
  await operator.locator('tr[data-rule="e2e-humid"]').waitFor();
  seen.ruleCreated = await operator.locator('tr[data-rule="e2e-humid"]').innerText();
  await shot(operator, 'rules');

  step = 'operator asks the bot';
  await operator.getByRole('link', { name: 'Chat', exact: true }).click();
  await operator.locator('#chat-input').fill(`status ${device}`);
  await operator.locator('#chat-input').press('Enter');
  await operator.locator('li.chat-bot').first().waitFor();
  seen.botAnswer = await operator.locator('li.chat-bot .chat-text').first().innerText();
  await shot(operator, 'chat');

  step = 'operator opens the reports page';
  await operator.getByRole('link', { name: 'Reports', exact: true }).click();
  await operator.locator('h2', { hasText: 'Daily reports' }).waitFor();
  await operator.locator('main li button').first().click(); // the newest report, written by the test's run of dailyReport
  const report = operator.frameLocator('iframe.report');
  await report.locator('h1').first().waitFor();
  seen.reportTitle = await report.locator('h1').first().innerText();
  await shot(operator, 'reports');
  await operator.context().close();

  step = 'admin on a phone-sized screen';
  const phone = await newPage({ width: 390, height: 844 });
  await signIn(phone, 'admin');
  await phone.locator(`tr[data-device="${device}"]`).waitFor();
  seen.phoneOverflow = await phone.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  seen.adminRole = await phone.locator('#role').innerText();
  await phone.getByRole('link', { name: 'Subscriptions', exact: true }).click();
  await phone.locator('h2', { hasText: 'Subscriptions' }).waitFor();
  seen.adminSeesSubscriptions = true;
  await subscriptionsListed(phone);
  // route() moves focus once the view is complete; wait for that, then report where focus is either way.
  await phone.waitForFunction(() => document.activeElement && document.activeElement.id === 'view', null, { timeout: 5000 }).catch(() => {});
  seen.focusAfterNavigation = await phone.evaluate(() => document.activeElement && (document.activeElement.id || document.activeElement.tagName));
  await shot(phone, 'fleet-phone');

  step = 'keyboard: from the top of the page, the first Tab reaches the skip link';
  // A fresh load, as a keyboard user arrives: blurring the clicked link would leave Chromium's
  // focus-navigation starting point at that link, and the next Tab would go on from there.
  await phone.reload();
  await phone.locator('#me').waitFor();
  await phone.locator('h2', { hasText: 'Subscriptions' }).waitFor();
  await subscriptionsListed(phone);
  await phone.keyboard.press('Tab');
  seen.firstFocus = await phone.evaluate(() => document.activeElement && document.activeElement.textContent.trim());
  await phone.context().close();
} catch (error) {
  problems.push(`${step}: ${error.message.split('\n')[0]}`);
}
await browser.close();
console.log(JSON.stringify({ seen, problems }));
process.exit(problems.length === 0 ? 0 : 1);
