/**
 * Builds the widget: widget/dist/widget.js (one minified IIFE, served at /widget.js) and
 * the demo host page widget/dist/demo/ (served at /demo). Run: npx ts-node --transpile-only widget/build.ts
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = __dirname;
const dist = path.join(here, 'dist');

/** Replaces a file in one step, so a server never serves half of it while a build runs. */
export function writeAtomic(file: string, contents: Uint8Array | string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, file);
}

/** Bundles a browser entry point into one minified IIFE (no globals leak), written atomically. */
export async function bundle(entry: string, outfile: string, sourcemap = false): Promise<Uint8Array> {
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    sourcemap,
    legalComments: 'none',
    logLevel: 'warning',
    write: false,
  });
  let js: Uint8Array = new Uint8Array();
  for (const out of result.outputFiles) {
    writeAtomic(out.path, out.contents);
    if (out.path === outfile) js = out.contents;
  }
  return js;
}

export async function buildWidget(): Promise<{ bytes: number; gzipBytes: number }> {
  const js = await bundle(path.join(here, 'src/main.ts'), path.join(dist, 'widget.js'));
  for (const file of ['index.html', 'demo.js']) {
    writeAtomic(path.join(dist, 'demo', file), readFileSync(path.join(here, 'demo', file)));
  }
  return { bytes: js.length, gzipBytes: gzipSync(js, { level: 9 }).length };
}

if (require.main === module) {
  buildWidget()
    .then(({ bytes, gzipBytes }) =>
      process.stdout.write(
        `widget/dist/widget.js: ${(bytes / 1024).toFixed(1)} KB, ${(gzipBytes / 1024).toFixed(1)} KB gzipped\n`,
      ),
    )
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
