import { readFile } from 'node:fs/promises';
import type { LoadHook } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * A module-loading hook that sits in front of tsx's for installed packages' ES modules and loads them as plain Node
 * would. tsx rewrites every `import()` in a JavaScript file it loads (appending its CommonJS interop) and builds a
 * fine-grained source map for the rewrite, on every start: PGlite's two largest chunks (475 KB) cost 85 ms of the
 * hooks thread that way, and the main thread waits for it (a transcript: 1.25 s became 1.11–1.13 s, measured).
 * Packages are written for plain Node, so their ESM is handed to Node untouched; our TypeScript and CommonJS
 * packages still go through tsx. Registered by adapters/main.ts before anything heavy is imported.
 */
export const load: LoadHook = async (url, context, nextLoad) => {
  if (context.format === 'module' && url.startsWith('file:') && url.includes('/node_modules/')) {
    return { format: 'module', source: await readFile(fileURLToPath(url)), shortCircuit: true };
  }
  return nextLoad(url, context);
};
