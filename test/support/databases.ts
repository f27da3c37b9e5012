import { afterAll, beforeAll, describe } from 'vitest';
import type { Database } from '../../db/client.js';
import { type DbKind, databaseKinds, openTestDatabase } from './test-database.js';

export { type DbKind, databaseKinds, openTestDatabase };

/** Runs a suite once per database kind, with one fresh database per kind for the whole suite. */
export function describeEachDatabase(title: string, body: (db: () => Database, kind: DbKind) => void): void {
  for (const kind of databaseKinds()) {
    describe(`${title} [${kind}]`, () => {
      let database: Database | undefined;
      beforeAll(async () => {
        database = await openTestDatabase(kind);
      });
      afterAll(async () => {
        await database?.close();
      });
      body(() => {
        if (!database) throw new Error('database not open yet');
        return database;
      }, kind);
    });
  }
}
