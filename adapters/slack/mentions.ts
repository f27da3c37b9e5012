/** `<@U123|ann>` / `<@U123>` → U123 (and the name when Slack gave it); anything else is returned as typed. */
export function parseMention(raw: string): { id: string; name?: string } | null {
  const m = /^<@([UW][A-Z0-9]+)(?:\|([^>]*))?>$/.exec(raw.trim());
  if (!m) return null;
  return m[2] ? { id: m[1]!, name: m[2] } : { id: m[1]! };
}

/** `<#C123|general>` / `<#C123>` → C123. */
export function parseChannelMention(raw: string): string | null {
  const m = /^<#([CGD][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(raw.trim());
  return m ? m[1]! : null;
}
