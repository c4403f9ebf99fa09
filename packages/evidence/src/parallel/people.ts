// Who a person-level row may say it is (the contract's personLevel rule, METRICS.md
// "Throughput and variance"): named for roles with 'individuals:read'; anonymous points in a
// group of at least minGroupSize, the viewer's own marked; below that, only the viewer's own.
import { createHash } from 'node:crypto';
import type { Tx } from '@parallax/db';
import type { ParallelScope, PersonLevel } from './scope.ts';

export interface Person {
  /** Stable within one response, for keys and for matching cells to rows; never an id unless named or the viewer. */
  key: string;
  /** Set when named, and on the viewer's own row (a developer may always open their own day). */
  developerId: string | null;
  name: string | null;
  isViewer: boolean;
}

/**
 * Labels rows of per-person figures, already ordered as they are to be shown. Anonymous
 * rows must be ordered by their figures, not by id, so that the order says nothing. A page
 * of a longer list gives its first row's place (`firstIndex`), so anonymous keys run on
 * across pages.
 */
export async function labelPeople<T extends { developerId: string }>(
  tx: Tx,
  scope: ParallelScope,
  rows: readonly T[],
  /** level: personLevel over the whole breakdown these rows are (a page of) it; firstIndex: see above. */
  options: { level: PersonLevel; firstIndex?: number },
): Promise<{ level: PersonLevel; rows: (Omit<T, 'developerId'> & { person: Person })[] }> {
  const { level } = options;
  const kept = level === 'none' ? rows.filter((r) => r.developerId === scope.viewerId) : rows;
  const names =
    level === 'named'
      ? await namesOf(
          tx,
          scope.orgId,
          kept.map((r) => r.developerId),
        )
      : new Map<string, string>();
  return {
    level,
    rows: kept.map(({ developerId, ...rest }, i) => {
      const isViewer = developerId === scope.viewerId;
      const shown = level === 'named' || isViewer;
      return {
        ...rest,
        person: {
          key: level === 'named' ? developerId : isViewer ? 'you' : `p${(options.firstIndex ?? 0) + i + 1}`,
          developerId: shown ? developerId : null,
          name: level === 'named' ? (names.get(developerId) ?? 'Former member') : isViewer ? 'You' : null,
          isViewer,
        },
      };
    }),
  };
}

/**
 * Rows already sorted by their figures (`same`: two rows tie), with ties put in an order that says nothing about who:
 * by id where people are named, by a hash of org and id otherwise (ids may be time-ordered,
 * and a viewer's own row among anonymous ties would tell them where they signed up).
 */
export function orderTies<T extends { developerId: string }>(
  rows: readonly T[],
  level: PersonLevel,
  orgId: string,
  same: (a: T, b: T) => boolean,
): T[] {
  const keys = new Map(
    rows.map((r) => [r, level === 'named' ? r.developerId : createHash('sha256').update(`${orgId}/${r.developerId}`).digest('hex')]),
  );
  const byKey = (a: T, b: T) => (keys.get(a)! < keys.get(b)! ? -1 : keys.get(a)! > keys.get(b)! ? 1 : 0);
  const out: T[] = [];
  for (let i = 0; i < rows.length; ) {
    let j = i + 1;
    while (j < rows.length && same(rows[i]!, rows[j]!)) j++;
    out.push(...rows.slice(i, j).sort(byKey));
    i = j;
  }
  return out;
}

export async function namesOf(tx: Tx, orgId: string, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const members = await tx.membership.findMany({
    where: { orgId, userId: { in: [...new Set(ids)] } },
    select: { userId: true, user: { select: { name: true, email: true } } },
  });
  return new Map(members.map((m) => [m.userId, m.user.name ?? m.user.email]));
}
