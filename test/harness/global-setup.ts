/** Makes sure the local services (PostgreSQL, FerretDB, Redis) are up before any suite runs. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export default function globalSetup(): void {
  execFileSync('bash', [path.resolve(__dirname, '../../scripts/services.sh'), 'start'], { stdio: 'inherit' });
}
