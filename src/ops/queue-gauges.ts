import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.js';
import type { OpsMetrics } from './metrics.js';

/**
 * Feeds the outbox depth (per platform) and the due-job lag gauges from the database, read when Prometheus scrapes:
 * both are shared state across replicas, so any replica reports the same truth.
 */
export function feedQueueGauges(metrics: OpsMetrics, db: Db, platforms: readonly string[], now: () => Date): void {
  for (const platform of platforms) {
    metrics.setOutboxDepth(platform, async () => {
      const [row] = rowsOf<{ n: number }>(
        await db.execute(
          sql`select count(*)::int as n from outbox where platform = ${platform} and status in ('pending', 'sending')`,
        ),
      );
      return Number(row?.n ?? 0);
    });
  }
  metrics.setDueJobLag(async () => {
    const [row] = rowsOf<{ oldest: string | Date | null }>(
      await db.execute(
        sql`select min(run_at) as oldest from jobs where status = 'pending' and run_at <= ${now().toISOString()}::timestamptz`,
      ),
    );
    return row?.oldest ? Math.max(0, (now().getTime() - new Date(row.oldest).getTime()) / 1000) : 0;
  });
}
