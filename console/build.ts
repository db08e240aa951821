/**
 * Builds the agent console into console/dist/ (index.html, app.js, app.css), served at
 * /console/. Run: npx ts-node --transpile-only console/build.ts
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { bundle, writeAtomic } from '../widget/build';

const here = __dirname;
const dist = path.join(here, 'dist');

export async function buildConsole(): Promise<void> {
  await bundle(path.join(here, 'src/main.ts'), path.join(dist, 'app.js'), true);
  for (const file of ['index.html', 'app.css'])
    writeAtomic(path.join(dist, file), readFileSync(path.join(here, file)));
}

if (require.main === module) {
  buildConsole()
    .then(() => process.stdout.write('console/dist: index.html, app.js, app.css\n'))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
