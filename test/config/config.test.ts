/** Configuration is validated once, with clear reasons, and typed defaults match the service promises. */
import { ConfigError, loadConfig } from '../../server/config';

const secret = { AUTH_SECRET: 'x'.repeat(32) };

it('defaults to the product promises: pickup in 5 minutes, reply in 20 seconds', () => {
  const c = loadConfig(secret);
  expect(c.sla.pickupTargetMs).toBe(300_000);
  expect(c.sla.replyTargetMs).toBe(20_000);
  expect(c.sla.emailPickupTargetMs).toBe(4 * 3600_000);
  expect(c.sla.emailReplyTargetMs).toBe(24 * 3600_000);
  expect(c.admin).toBeUndefined();
});

it('refuses to start without a strong AUTH_SECRET, naming the variable', () => {
  expect(() => loadConfig({})).toThrow(ConfigError);
  expect(() => loadConfig({ AUTH_SECRET: 'short' })).toThrow(/AUTH_SECRET/);
});

it('rejects malformed values with the variable name, and half an admin account', () => {
  expect(() => loadConfig({ ...secret, SLA_REPLY_TARGET_MS: 'soon' })).toThrow(/SLA_REPLY_TARGET_MS/);
  expect(() => loadConfig({ ...secret, SLA_WARN_RATIO: '1.5' })).toThrow(/SLA_WARN_RATIO/);
  expect(() => loadConfig({ ...secret, ADMIN_EMAIL: 'a@b.test' })).toThrow(/ADMIN_PASSWORD/);
});

it('treats empty variables as unset', () => {
  expect(
    loadConfig({ ...secret, PUBLIC_URL: '', ADMIN_EMAIL: '', ADMIN_PASSWORD: '' }).publicUrl,
  ).toBeUndefined();
});
