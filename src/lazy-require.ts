import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A CommonJS package loaded on its first use instead of at start-up. Packages that only some commands need (the
 * network layout, calendar files, cron parsing, the confusables table, the PNG renderer's native addon) cost every
 * start their module loading, and a shell transcript or a bot's start uses none of them; required in-thread, they
 * also skip the ESM loader's round trips through tsx's hooks.
 */
export function lazyRequire<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= require(id) as T;
    return loaded;
  };
}
