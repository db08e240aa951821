/**
 * The demo: starts a gateway on the local services with a seeded web chat inbox on the
 * standard hours, an agent, a supervisor, an admin, their teams and shifts, and prints where to go.
 * Run with `npm run demo`.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createApp } from '../server/app';
import { hashPassword } from '../server/auth/passwords';
import { loadConfig, readEnvFile } from '../server/config';
import { seedDemoService } from './demo-seed';
import { seedDemoQuality } from './demo-quality';
import { seedDemoHandover } from './demo-shifts';
import { seedDemoStories } from './demo-stories';
import { seedDemoKnowledge } from './demo-knowledge';

const ROOT = path.resolve(__dirname, '..');
const SECRET_FILE = path.join(ROOT, '.local', 'demo-auth-secret');

/** A development secret kept under .local so sessions survive demo restarts; production sets AUTH_SECRET. */
function demoSecret(): string {
  if (existsSync(SECRET_FILE)) return readFileSync(SECRET_FILE, 'utf8').trim();
  mkdirSync(path.dirname(SECRET_FILE), { recursive: true });
  const s = randomBytes(32).toString('base64url');
  writeFileSync(SECRET_FILE, s, { mode: 0o600 });
  return s;
}

const DEMO = {
  inboxKey: 'demo',
  // People's names only: customers see an agent's name, and the console shows roles itself.
  agent: { email: 'agent@demo.test', password: 'demo-agent-pass', name: 'Dana Whitfield' },
  supervisor: { email: 'lead@demo.test', password: 'demo-lead-pass', name: 'Lee Chen' },
  admin: { email: 'admin@demo.test', password: 'demo-admin-pass' },
};

async function main(): Promise<void> {
  const config = loadConfig({
    ADMIN_EMAIL: DEMO.admin.email,
    ADMIN_PASSWORD: DEMO.admin.password,
    // The local services, on the ports scripts/services.sh was told to use.
    MONGO_URL: `mongodb://127.0.0.1:${process.env.SB_FERRETDB_PORT ?? '27117'}/switchboard_demo`,
    REDIS_URL: `redis://127.0.0.1:${process.env.SB_REDIS_PORT ?? '6479'}`,
    ...readEnvFile(path.join(ROOT, '.env')),
    ...process.env,
    AUTH_SECRET: process.env.AUTH_SECRET ?? demoSecret(),
  });
  const app = await createApp(config);
  const { models } = app;
  if (!(await models.Inbox.exists({ key: DEMO.inboxKey }))) {
    await models.Inbox.create({
      name: 'Demo website',
      channel: 'webchat',
      key: DEMO.inboxKey,
      settings: { welcome: 'Hi there 👋 How can we help?', preChat: { enabled: false, requireEmail: false } },
    });
  }
  for (const [role, a] of [
    ['agent', DEMO.agent],
    ['supervisor', DEMO.supervisor],
  ] as const) {
    // Demo databases made before carry the role in the name ("Dana (agent)"): give the name back.
    await models.Agent.updateOne(
      { email: a.email, name: /\((agent|supervisor)\)$/ },
      { $set: { name: a.name } },
    );
    if (!(await models.Agent.exists({ email: a.email }))) {
      await models.Agent.create({
        email: a.email,
        name: a.name,
        role,
        capacity: 5,
        passwordHash: await hashPassword(a.password),
      });
    }
  }
  await seedDemoService(app, {
    inboxKey: DEMO.inboxKey,
    agentEmail: DEMO.agent.email,
    supervisorEmail: DEMO.supervisor.email,
  });
  const url = await app.start();
  await seedDemoStories(app, DEMO.inboxKey, DEMO.agent.email);
  await seedDemoQuality(app, DEMO.inboxKey, DEMO.agent.email, DEMO.supervisor.email);
  await seedDemoHandover(app, DEMO.inboxKey, DEMO.supervisor.email);
  await seedDemoKnowledge(app, DEMO.supervisor.email);
  console.log(`
Switchboard demo is running at ${url}

  Health:          ${url}/healthz
  Demo host page:  ${url}/demo/            (the widget, inbox key "${DEMO.inboxKey}")
  Agent console:   ${url}/console/
  Help centre:     ${url}/help/            (articles in English and Chinese)
  Agent login:     ${DEMO.agent.email} / ${DEMO.agent.password}
  Supervisor:      ${DEMO.supervisor.email} / ${DEMO.supervisor.password}
  Admin:           ${DEMO.admin.email} / ${DEMO.admin.password}

Press Ctrl+C to stop.`);
  const stop = () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
