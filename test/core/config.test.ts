import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const root = path.resolve(import.meta.dirname, '../..');

describe('configuration', () => {
  it('applies defaults when nothing is set', () => {
    const c = loadConfig({});
    expect(c.DATA_DIR).toBe('./data');
    expect(c.LOG_LEVEL).toBe('info');
    expect(c.DEFAULT_TIMEZONE).toBe('UTC');
    expect(c.DATABASE_URL).toBeUndefined();
  });

  it('reads the tick interval and the delivery lease, and refuses values the scheduler cannot use', () => {
    expect(loadConfig({})).toMatchObject({ TICK_SECONDS: 15, DELIVERY_LEASE_SECONDS: 120 });
    expect(loadConfig({ TICK_SECONDS: '1', DELIVERY_LEASE_SECONDS: '5' })).toMatchObject({
      TICK_SECONDS: 1,
      DELIVERY_LEASE_SECONDS: 5,
    });
    let msg = '';
    try {
      loadConfig({ TICK_SECONDS: '7', DELIVERY_LEASE_SECONDS: '1' });
    } catch (err) {
      msg = (err as Error).message;
    }
    expect(msg).toContain('TICK_SECONDS="7": expected a whole number of seconds that divides a minute');
    expect(msg).toContain('DELIVERY_LEASE_SECONDS="1": expected a whole number of seconds from 5 to 3600');
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', DISCORD_TOKEN: '' }).DATABASE_URL).toBeUndefined();
  });

  it('names every bad variable with the expected form', () => {
    let error: unknown;
    try {
      loadConfig({
        DATABASE_URL: 'mysql://x',
        LOG_LEVEL: 'loud',
        DEFAULT_TIMEZONE: 'Mars/Base',
        SLACK_BOT_TOKEN: 'abc',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const msg = (error as Error).message;
    expect(msg).toContain('DATABASE_URL="mysql://x": expected a URL such as postgres://');
    expect(msg).toContain('LOG_LEVEL="loud"');
    expect(msg).toContain('DEFAULT_TIMEZONE="Mars/Base": expected an IANA time zone');
    expect(msg).toContain('SLACK_BOT_TOKEN="abc": expected a bot token starting with xoxb-');
  });

  it('stops the bot with exit code 2, one clear message and no stack trace', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: 'ninety', DEFAULT_TIMEZONE: 'Nowhere' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Roundtable cannot start: bad configuration.');
    expect(r.stderr).toContain('PORT="ninety"');
    expect(r.stderr).toContain('DEFAULT_TIMEZONE="Nowhere"');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });
});
