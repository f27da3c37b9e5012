import type { z } from 'zod';
import type { CommandDefinition } from './define.js';
import { describeOptions, type OptionInfo } from './options.js';

export interface RegisteredCommand {
  def: CommandDefinition;
  options: OptionInfo[];
  /** The options schema refusing unknown keys, so a misspelt option is an error rather than ignored. */
  strict: z.ZodObject;
}

/** The commands one bot serves, checked once at start: unique names, described options, valid names. */
export class Registry {
  private readonly byName = new Map<string, RegisteredCommand>();

  constructor(defs: readonly CommandDefinition[]) {
    for (const def of defs) {
      if (!/^[a-z][a-z0-9-]{0,31}( [a-z][a-z0-9-]{0,31})?$/.test(def.name)) {
        throw new Error(`command name ${JSON.stringify(def.name)} must be lowercase words (at most one subcommand)`);
      }
      if (this.byName.has(def.name)) throw new Error(`command ${def.name} is registered twice`);
      if (def.description.length > 100) throw new Error(`${def.name}: description over 100 characters`);
      const options = describeOptions(def.options);
      for (const o of options) {
        if (!/^[a-z][a-z0-9_]{0,31}$/.test(o.name)) throw new Error(`${def.name}: option name ${o.name} is not valid`);
        if (o.description.length > 100) throw new Error(`${def.name}: description of ${o.name} over 100 characters`);
      }
      if (def.positional && !options.some((o) => o.name === def.positional)) {
        throw new Error(`${def.name}: positional option ${def.positional} does not exist`);
      }
      this.byName.set(def.name, { def, options, strict: def.options.strict() });
    }
    const names = [...this.byName.keys()];
    for (const n of names) {
      if (n.includes(' ') && this.byName.has(n.split(' ')[0]!)) {
        throw new Error(`${n}: a command cannot be both a command and a group of subcommands`);
      }
    }
  }

  get(name: string): RegisteredCommand | undefined {
    return this.byName.get(name);
  }

  strictSchema(name: string): z.ZodObject {
    const cmd = this.byName.get(name);
    if (!cmd) throw new Error(`no command ${name}`);
    return cmd.strict;
  }

  all(): RegisteredCommand[] {
    return [...this.byName.values()];
  }

  defs(): CommandDefinition[] {
    return this.all().map((c) => c.def);
  }

  /** Names of top-level commands (`pair` for `pair join`), as platforms register them. */
  topLevel(): string[] {
    return [...new Set(this.all().map((c) => c.def.name.split(' ')[0]!))];
  }

  /** Subcommands under a top-level name (empty for a plain command). */
  subcommands(top: string): RegisteredCommand[] {
    return this.all().filter((c) => c.def.name.startsWith(`${top} `));
  }

  /** One-line usage: `/intro business:<text> [area:<text>]`. */
  usage(name: string): string {
    const cmd = this.byName.get(name);
    if (!cmd) return `/${name}`;
    const parts = cmd.options.map((o) => {
      const v = o.choices
        ? o.choices.join('|')
        : o.kind === 'member'
          ? '@member'
          : `<${o.kind === 'string' ? 'text' : o.kind}>`;
      const p = `${o.name}:${v}`;
      return o.required ? p : `[${p}]`;
    });
    return [`/${name}`, ...parts].join(' ');
  }
}
