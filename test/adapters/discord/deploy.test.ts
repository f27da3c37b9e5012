import { REST } from 'discord.js';
import { ApplicationCommandOptionType, PermissionFlagsBits } from 'discord-api-types/v10';
import { expect, it } from 'vitest';
import { commandPayloads, deployCommands } from '../../../adapters/discord/command-deploy.js';
import { Registry } from '../../../src/commands/registry.js';
import { silentLogger } from '../../../src/logger.js';
import { DiscordHarness } from '../../fakes/discord/harness.js';
import { describeEachDatabase } from '../../support/databases.js';
import { testCommands } from './test-commands.js';

const registry = new Registry(testCommands);
const byName = (name: string) => commandPayloads(registry).find((c) => c.name === name)!;
type Opt = { name: string; type: number; required?: boolean; choices?: { value: unknown }[]; options?: Opt[] };

it('generates typed options with choices, descriptions and required ones first', () => {
  const setup = byName('setup') as unknown as {
    options: Opt[];
    default_member_permissions: string;
    description: string;
  };
  expect(setup.description).toContain('Create or change the group');
  const type = setup.options.find((o) => o.name === 'type')!;
  expect(type.type).toBe(ApplicationCommandOptionType.String);
  expect(type.choices?.map((c) => c.value)).toContain('referral');
  expect(setup.options.find((o) => o.name === 'one_seat')!.type).toBe(ApplicationCommandOptionType.Boolean);
  expect(setup.options.find((o) => o.name === 'intro_channel')!.type).toBe(ApplicationCommandOptionType.Channel);
  const slow = byName('slow') as unknown as { options: Opt[] };
  expect(slow.options.map((o) => [o.name, o.type, o.required])).toEqual([
    ['ms', ApplicationCommandOptionType.Integer, true],
    ['public', ApplicationCommandOptionType.Boolean, false],
  ]);
});

it('marks moderator commands with Manage Server and leaves member commands open', () => {
  expect(byName('setup').default_member_permissions).toBe(PermissionFlagsBits.ManageGuild.toString());
  expect(byName('help').default_member_permissions).toBeNull();
});

it('groups `duo join` and `duo leave` under /duo as subcommands with their own options', () => {
  const pair = byName('duo') as unknown as { options: Opt[]; default_member_permissions: string | null };
  expect(pair.options.map((o) => [o.name, o.type])).toEqual([
    ['join', ApplicationCommandOptionType.Subcommand],
    ['leave', ApplicationCommandOptionType.Subcommand],
  ]);
  const join = pair.options[0]!;
  // required before optional, as Discord insists
  expect(join.options!.map((o) => [o.name, o.type])).toEqual([
    ['rounds', ApplicationCommandOptionType.Integer],
    ['partner', ApplicationCommandOptionType.User],
  ]);
  // one subcommand is for members, so the group as a whole cannot be hidden from them
  expect(pair.default_member_permissions).toBeNull();
});

describeEachDatabase('discord command deployment', (db) => {
  it('deploys at start, then does not redeploy while nothing changed, and redeploys when a command changes', async () => {
    const h = await DiscordHarness.start(db(), { commands: testCommands });
    try {
      const route = new RegExp(`^/applications/${h.fake.applicationId}/guilds/${h.guild.id}/commands$`);
      expect(h.fake.callsTo('PUT', route)).toHaveLength(1);
      const stored = h.fake.commands.get(h.guild.id)!;
      expect(stored.map((c) => c.name).sort()).toEqual(registry.topLevel().sort());

      const rest = new REST({ api: h.fake.apiUrl, retries: 0, timeout: 2000 }).setToken(h.fake.token);
      const again = await deployCommands(rest, h.fake.applicationId, registry, {
        guildId: h.guild.id,
        log: silentLogger,
      });
      expect(again.changed).toBe(false);
      expect(h.fake.callsTo('GET', route)).toHaveLength(2);
      expect(h.fake.callsTo('PUT', route)).toHaveLength(1);

      const fewer = new Registry(testCommands.filter((c) => c.name !== 'vote'));
      const changed = await deployCommands(rest, h.fake.applicationId, fewer, {
        guildId: h.guild.id,
        log: silentLogger,
      });
      expect(changed.changed).toBe(true);
      expect(h.fake.callsTo('PUT', route)).toHaveLength(2);
      expect(h.fake.commands.get(h.guild.id)!.map((c) => c.name)).not.toContain('vote');
    } finally {
      await h.close();
    }
  });

  it('deploys globally when no guild is given', async () => {
    const h = await DiscordHarness.start(db(), { bot: { guildId: undefined } });
    try {
      expect(h.fake.callsTo('PUT', /^\/applications\/\d+\/commands$/)).toHaveLength(1);
      expect(h.fake.commands.get('global')!.map((c) => c.name)).toContain('intro');
    } finally {
      await h.close();
    }
  });
});
