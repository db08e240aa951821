/**
 * Builds the agent console into console/dist/ (index.html, app.js, app.css), served at
 * /console/. The UI kit's stylesheet goes first in app.css: the console's policy allows
 * only its own style files, no inline styles. Run: npx ts-node --transpile-only console/build.ts
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { kitStyles } from '../ui/styles';
import { bundle, writeAtomic } from '../widget/build';

const here = __dirname;
const dist = path.join(here, 'dist');

export async function buildConsole(): Promise<void> {
  await bundle(path.join(here, 'src/main.ts'), path.join(dist, 'app.js'), true);
  writeAtomic(path.join(dist, 'index.html'), readFileSync(path.join(here, 'index.html')));
  writeAtomic(
    path.join(dist, 'app.css'),
    `${kitStyles}\n${readFileSync(path.join(here, 'app.css'), 'utf8')}`,
  );
}

if (require.main === module) {
  buildConsole()
    .then(() => process.stdout.write('console/dist: index.html, app.js, app.css\n'))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
