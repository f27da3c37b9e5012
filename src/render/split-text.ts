/**
 * Text cut into pieces a platform field holds, never losing a character: at a line break when one is near, else at
 * a space, else hard; `keep` moves a cut back so it never splits what must stay whole (an escape, an entity).
 */
export function splitText(text: string, max: number, keep: (s: string, at: number) => number = keepPairs): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let at = rest.lastIndexOf('\n', max);
    if (at < max / 2) {
      const space = rest.lastIndexOf(' ', max);
      at = space >= max / 2 ? space : keep(rest, max);
    }
    if (at <= 0) at = keep(rest, max) || max;
    out.push(rest.slice(0, at));
    rest = rest.slice(rest[at] === '\n' || rest[at] === ' ' ? at + 1 : at);
  }
  out.push(rest);
  return out;
}

/** Never splits a UTF-16 surrogate pair (an emoji, a CJK extension character). */
export function keepPairs(s: string, at: number): number {
  const c = s.charCodeAt(at - 1);
  return c >= 0xd800 && c <= 0xdbff ? at - 1 : at;
}

/**
 * The parts of a text outside and inside inline code (`like this`). The bot's own formatting is inline code
 * (`/help`, `key:value`); everything outside is shown as typed, so renderers escape only there.
 */
export function codeSpans(text: string): { code: boolean; text: string }[] {
  const out: { code: boolean; text: string }[] = [];
  const re = /`[^`\n]+`/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) out.push({ code: false, text: text.slice(last, m.index) });
    out.push({ code: true, text: m[0] });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ code: false, text: text.slice(last) });
  return out;
}
