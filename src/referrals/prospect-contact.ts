const EMAIL = /[^\s@,;<>]+@[^\s@,;<>]+\.[^\s@,;<>]{2,}/;
const PHONE = /^\+?[0-9][0-9 ().-]{5,22}$/;

export interface ProspectContact {
  email?: string;
  phone?: string;
}

/**
 * Reads a prospect's contact as people type it: an email, a phone, or both ("jane@example.com +1 555 0100",
 * "+44 20 7946 0000, jane@example.com"). Null when it is neither, or holds something else besides.
 */
export function parseProspectContact(text: string): ProspectContact | null {
  const t = text.trim();
  const email = EMAIL.exec(t)?.[0];
  const rest = (email ? t.replace(email, ' ') : t)
    .replace(/^[\s,;/|]+|[\s,;/|]+$/g, '')
    .replace(/^(or|and|&)\s+|\s+(or|and|&)$/gi, '')
    .trim();
  if (rest && !PHONE.test(rest)) return null;
  if (!email && !rest) return null;
  return { ...(email ? { email } : {}), ...(rest ? { phone: rest } : {}) };
}

/** The two columns a contact is kept in: the email (or the phone alone) first, the phone beside an email second. */
export function contactColumns(c: ProspectContact): { prospectContact: string; prospectPhone: string | null } {
  return c.email
    ? { prospectContact: c.email, prospectPhone: c.phone ?? null }
    : { prospectContact: c.phone!, prospectPhone: null };
}

/** The contact as shown to giver and receiver: "jane@example.com · +1 555 0100". */
export function formatContact(r: { prospectContact: string | null; prospectPhone?: string | null }): string | null {
  if (!r.prospectContact) return null;
  return r.prospectPhone ? `${r.prospectContact} · ${r.prospectPhone}` : r.prospectContact;
}
