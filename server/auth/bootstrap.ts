/** The first admin account, created at start-up from ADMIN_EMAIL/ADMIN_PASSWORD when none has that email. */
import type { Logger } from 'pino';
import type { Config } from '../config';
import { isDuplicateKey, type Models } from '../domain/models';
import { hashPassword } from './passwords';

export async function bootstrapAdmin(config: Config, models: Models, logger: Logger): Promise<void> {
  if (!config.admin) return;
  if (await models.Agent.exists({ email: config.admin.email })) return;
  await models.Agent.create({
    email: config.admin.email,
    name: config.admin.name,
    role: 'admin',
    capacity: config.routing.defaultCapacity,
    passwordHash: await hashPassword(config.admin.password),
  }).catch((err: unknown) => {
    if (!isDuplicateKey(err)) throw err;
  });
  logger.info({ email: config.admin.email }, 'admin account created');
}
