const mods = process.argv.slice(2);
let last = process.memoryUsage().rss;
console.log('start', Math.round(last / 2**20));
for (const m of mods) {
  const t0 = performance.now();
  await import(m);
  const r = process.memoryUsage().rss;
  console.log(m, Math.round(performance.now() - t0), 'ms', '+' + Math.round((r - last) / 2**20), 'MiB');
  last = r;
}
process.exit(0);
