/** Configuration is validated once, with clear reasons, and typed defaults match the service promises. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig, readEnvFile } from '../../server/config';
import { gatewayEnv, uniqueDbName } from '../harness/gateway';
import { spawnGateway } from '../harness/process';

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

describe('a .env file', () => {
  const write = (text: string) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sb-env-'));
    const file = path.join(dir, '.env');
    writeFileSync(file, text);
    return { dir, file };
  };

  it('supplies what it sets, quotes and comments understood, and nothing when it is absent', () => {
    const { dir, file } = write(
      `# copied from .env.example\nAUTH_SECRET="${'s'.repeat(40)}"\nPORT=4100\nPUBLIC_URL=\n`,
    );
    try {
      const vars = readEnvFile(file);
      expect(vars).toMatchObject({ AUTH_SECRET: 's'.repeat(40), PORT: '4100' });
      expect(loadConfig({ ...vars }).port).toBe(4100);
      // Set in the environment, a variable wins over the file.
      expect(loadConfig({ ...vars, PORT: '4200' }).port).toBe(4200);
      expect(readEnvFile(path.join(dir, 'missing.env'))).toEqual({});
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is read by the gateway process from its working directory', async () => {
    const db = uniqueDbName('envfile');
    const env = gatewayEnv(db);
    const { dir } = write(
      ['MONGO_URL', 'REDIS_URL', 'REDIS_PREFIX', 'AUTH_SECRET', 'HOST', 'METRICS_PORT']
        .map((k) => `${k}=${env[k]}`)
        .join('\n'),
    );
    const gw = await spawnGateway({}, { cwd: dir });
    try {
      expect((await fetch(`${gw.url}/readyz`)).status).toBe(200);
    } finally {
      await gw.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
