/**
 * What a browser and a scraper are allowed: the console and demo pages carry a policy
 * that runs only the gateway's scripts and forbids framing; metrics are not public on
 * the customer-facing port.
 */
import request from 'supertest';
import { suiteGateway } from '../harness/gateway';

const TOKEN = 'scrape-token-0123456789';
const gw = suiteGateway({ env: { METRICS_TOKEN: TOKEN } });

it('serves the console with a Content-Security-Policy that forbids framing and foreign scripts', async () => {
  const res = await request(gw.url).get('/console/');
  expect(res.status).toBe(200);
  const csp = String(res.headers['content-security-policy']);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("object-src 'none'");
  expect(res.headers['x-frame-options']).toBe('DENY');
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['referrer-policy']).toBe('no-referrer');
});

it('serves the demo page under the same policy, inline styles allowed for the widget', async () => {
  const res = await request(gw.url).get('/demo/');
  const csp = String(res.headers['content-security-policy']);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("style-src 'self' 'unsafe-inline'");
  expect(csp).toContain("script-src 'self'");
});

it('answers /metrics on the main port only to a scraper with the token', async () => {
  expect((await request(gw.url).get('/metrics')).status).toBe(404);
  expect(
    (await request(gw.url).get('/metrics').set('Authorization', 'Bearer wrong-token-0000000')).status,
  ).toBe(404);
  const ok = await request(gw.url).get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
  expect(ok.status).toBe(200);
  expect(ok.text).toContain('switchboard_messages_total');
});

it('serves metrics on a listener of its own, on loopback', async () => {
  const url = gw.app.metricsUrl;
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
  const res = await request(url!).get('');
  expect(res.status).toBe(200);
  expect(res.text).toContain('switchboard_sla_clock_seconds');
  expect((await request(url!.replace('/metrics', '/api/agents')).get('')).status).toBe(404);
});
