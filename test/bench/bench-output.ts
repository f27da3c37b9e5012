/** One benchmark figure against a baseline measured in the same run. */
export interface BenchLine {
  bench: string;
  metric: string;
  value: number;
  baseline: number | null;
  ratio: number | null;
  unit?: string;
  target?: string;
  [extra: string]: unknown;
}

/** A line to print; `ratio` is computed from value and baseline unless given. */
export type BenchInput = {
  bench: string;
  metric: string;
  value: number;
  baseline: number | null;
  ratio?: number | null;
} & Record<string, unknown>;

export function emit(line: BenchInput): void {
  const ratio = line.ratio ?? (line.baseline ? line.value / line.baseline : null);
  const round = (n: number | null) => (n === null ? null : Math.round(n * 1000) / 1000);
  process.stdout.write(
    `${JSON.stringify({ ...line, value: round(line.value), baseline: round(line.baseline), ratio: round(ratio) })}\n`,
  );
}

/** Percentile of a sample (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const s = [...sorted].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
