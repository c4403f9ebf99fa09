// What the maturity report says to do next (METRICS.md "Maturity level": each criterion that
// fails, with its value, target and the evidence behind it): for each failing criterion, by how
// much it misses and the action that moves it, computed from the criteria themselves.
import { COMPLETION_TARGET, type CriteriaSummary, PARALLEL_GROUP_TARGET } from '@parallax/metrics';

export type CriterionKey = 'unattended' | 'channels' | 'parallel' | 'completion' | 'sla';

export interface NextStep {
  criterion: CriterionKey;
  /** How far it is from its target, in words with the numbers. */
  gap: string;
  /** The action that moves it. */
  action: string;
}

const percent = (v: number) => `${Math.round(v * 1000) / 10}%`;

/** The level a group reached: L4 when all five criteria hold, else below it with the count that hold. */
export function levelOf(c: CriteriaSummary): { level: 'L4' | 'below L4'; holding: number } {
  const holding = [c.unattended.meets, c.channels.meets, c.parallel.meets, c.completion.meets, c.sla.meets].filter(Boolean).length;
  return { level: holding === 5 ? 'L4' : 'below L4', holding };
}

export function nextSteps(c: CriteriaSummary, context: { slaTarget: number; developerCap: number }): NextStep[] {
  const steps: NextStep[] = [];
  if (!c.unattended.meets) {
    const missing = c.unattended.weeks - c.unattended.weeksWithUnattended;
    steps.push({
      criterion: 'unattended',
      gap:
        c.unattended.weeks === 0
          ? 'The period has no week.'
          : `${missing} of ${c.unattended.weeks} weeks had no unattended session (${c.unattended.unattended} of ${c.unattended.finished} finished sessions ran unattended).`,
      action:
        'Give agents work nobody has to start or watch: a recurring task on a schedule (Settings → Schedules), or GitHub and PagerDuty triggers routed to agents, every week.',
    });
  }
  if (!c.channels.meets) {
    const used = c.channels.channels;
    steps.push({
      criterion: 'channels',
      gap: used.length === 0 ? 'No invocation in the period.' : `Only ${used.join(', ')} was used: one channel of the two required.`,
      action:
        'Invoke agents from a second channel where the work starts: the CLI (plx) from a terminal, Slack, GitHub issues, or a schedule.',
    });
  }
  if (!c.parallel.meets) {
    const needed = Math.max(0, Math.ceil(PARALLEL_GROUP_TARGET * c.parallel.activeDevelopers) - c.parallel.meeting);
    steps.push({
      criterion: 'parallel',
      gap:
        c.parallel.activeDevelopers === 0
          ? 'No developer ran an agent in the period.'
          : `${c.parallel.meeting} of ${c.parallel.activeDevelopers} active developers run 3 or more sessions at once on a typical day; ${needed} more need to, for half.`,
      action: `Pair the developers below 3 with one who runs several at once, split their tasks so three can run side by side, and check the per-developer cap (now ${context.developerCap}) leaves room for 3–5.`,
    });
  }
  if (!c.completion.meets) {
    const rate = c.completion.rate;
    // Sessions that would have had to finish without intervention to be above the target.
    const short = rate === null ? 0 : Math.floor(COMPLETION_TARGET * c.completion.finished) + 1 - c.completion.unassisted;
    steps.push({
      criterion: 'completion',
      gap:
        rate === null
          ? 'No session finished in the period.'
          : `${percent(rate)} of ${c.completion.finished} finished sessions succeeded without intervention, against more than ${percent(COMPLETION_TARGET)}: ${short} more would have had to.`,
      action:
        'Read the sessions that needed a correction (the rows behind criterion 4): sharpen the task prompts and repository setup they lacked, and give agents checks they can run themselves.',
    });
  }
  if (!c.sla.meets) {
    const rate = c.sla.rate;
    const short = rate === null ? 0 : Math.ceil(context.slaTarget * c.sla.counted) - c.sla.within;
    steps.push({
      criterion: 'sla',
      gap:
        rate === null
          ? 'No SLA window closed in the period.'
          : `${percent(rate)} of ${c.sla.counted} invocations had their PR in time, against ${percent(context.slaTarget)}: ${short} more needed to (${c.sla.breached} late, ${c.sla.missed} without a PR).`,
      action:
        'Look at the breaches (the rows behind criterion 5): split tasks that run past their window, mark long work COMPLEX so it gets its longer SLA, and fix the failures that ended without a PR.',
    });
  }
  return steps;
}
