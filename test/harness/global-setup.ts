/**
 * Before any suite runs: the local services (PostgreSQL, FerretDB, Redis) are up, and the
 * gateway bundle that tests start as separate processes is built from the current sources.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { buildServer } from '../../server/build';

export default async function globalSetup(): Promise<void> {
  execFileSync('bash', [path.resolve(__dirname, '../../scripts/services.sh'), 'start'], { stdio: 'inherit' });
  await buildServer();
}
