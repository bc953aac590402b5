import { CaseStatusSchema, type Disposition, DispositionSchema } from '@flexcord/contracts';

/** The built-in dispositions: their labels and the case status each leads to. */
const BUILT_IN: Record<string, Omit<Disposition, 'code'>> = {
  resolved: { label: 'Resolved', status: 'resolved' },
  follow_up: { label: 'Follow-up needed', status: 'pending' },
  duplicate: { label: 'Duplicate', status: 'closed' },
  spam: { label: 'Spam', status: 'closed' },
};

export const DEFAULT_DISPOSITIONS = 'resolved,follow_up,duplicate,spam';

/**
 * `WRAPUP_DISPOSITIONS`: comma-separated codes, each optionally `code:status` (`open`, `pending`,
 * `resolved`, `closed`, or `keep` to leave the case as it is). Built-in codes have a label and a
 * status; others are labelled from their code (`refund_issued` → "Refund issued") and keep the
 * case's status unless one is given. Throws with a readable message on a bad entry.
 */
export function parseDispositions(text: string): Disposition[] {
  const seen = new Set<string>();
  const dispositions = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [code = '', status] = entry.split(':').map((part) => part.trim());
      const builtIn = BUILT_IN[code];
      let resolvedStatus = builtIn?.status ?? null;
      if (status !== undefined) {
        if (status === 'keep') resolvedStatus = null;
        else {
          const parsed = CaseStatusSchema.safeParse(status);
          if (!parsed.success)
            throw new Error(`"${entry}": the status must be open, pending, resolved, closed or keep`);
          resolvedStatus = parsed.data;
        }
      }
      const disposition = DispositionSchema.safeParse({
        code,
        label: builtIn?.label ?? labelOf(code),
        status: resolvedStatus,
      });
      if (!disposition.success)
        throw new Error(`"${entry}": a code is lower-case letters, digits and _ (up to 40)`);
      if (seen.has(code)) throw new Error(`"${code}" is listed twice`);
      seen.add(code);
      return disposition.data;
    });
  if (!dispositions.length) throw new Error('list at least one disposition');
  return dispositions;
}

function labelOf(code: string): string {
  const words = code.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
