import postgres from 'postgres';
import { migratedSchemaTarball } from '../../db/pglite-snapshot.js';
import { ensureTemplate } from './test-database.js';

/**
 * Names this test run (RT_TEST_RUN, inherited by every worker) and, at its end, drops any PostgreSQL database of the
 * run that a killed worker could not drop itself. It also builds the schema's PGlite snapshot and PostgreSQL template
 * before any worker starts. Databases of another run (another checkout testing at the same time on the same server)
 * are never touched.
 */
export async function setup(): Promise<() => Promise<void>> {
  const run = `r${process.pid}`;
  process.env.RT_TEST_RUN = run;
  // Built once here rather than by every worker at the same moment: the PGlite snapshot and the PostgreSQL template.
  await migratedSchemaTarball();
  if (process.env.DATABASE_URL) await ensureTemplate(process.env.DATABASE_URL);
  return async () => {
    const url = process.env.DATABASE_URL;
    if (!url) return;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const left = await admin<{ datname: string }[]>`
        select datname from pg_database where datname like ${`rt_test_${run}_%`}`;
      for (const { datname } of left) await admin.unsafe(`drop database if exists ${datname} with (force)`);
    } finally {
      await admin.end();
    }
  };
}
