// The raw tables a history fills, in the order their foreign keys need, with each column's
// PostgreSQL type: COPY sends the columns as text, the INSERT fallback casts unnest arrays.
export type Value = string | number | boolean | null;
export type Row = Value[];

export const TABLES = {
  Task: [
    ['id', 'text'],
    ['orgId', 'text'],
    ['createdById', 'text'],
    ['repositoryId', 'text'],
    ['agentProfileId', 'text'],
    ['title', 'text'],
    ['prompt', 'text'],
    ['taskType', '"TaskType"'],
    ['createdAt', 'timestamp(3)'],
  ],
  Invocation: [
    ['id', 'text'],
    ['orgId', 'text'],
    ['channel', '"Channel"'],
    ['actorUserId', 'text'],
    ['actorExternal', 'text'],
    ['receivedAt', 'timestamp(3)'],
    ['dispatchedAt', 'timestamp(3)'],
    ['workflowStartedAt', 'timestamp(3)'],
    ['externalRef', 'text'],
    ['payloadDigest', 'text'],
    ['taskId', 'text'],
  ],
  AgentSession: [
    ['id', 'text'],
    ['orgId', 'text'],
    ['taskId', 'text'],
    ['invocationId', 'text'],
    ['developerId', 'text'],
    ['repositoryId', 'text'],
    ['agentProfileId', 'text'],
    ['workflowId', 'text'],
    ['status', '"SessionStatus"'],
    ['queuedAt', 'timestamp(3)'],
    ['startedAt', 'timestamp(3)'],
    ['endedAt', 'timestamp(3)'],
    ['cancelledWhileQueued', 'boolean'],
    ['withdrawnByRequester', 'boolean'],
    ['isUnattended', 'boolean'],
    ['branch', 'text'],
    ['slaPolicyId', 'text'],
    ['slaMinutes', 'integer'],
    ['slaDeadline', 'timestamp(3)'],
    ['slaBreachedAt', 'timestamp(3)'],
    ['checksPassed', 'boolean'],
    ['agentExitCode', 'integer'],
    ['sandboxMode', 'text'],
    ['agentCostUsd', 'double precision'],
    ['failureReason', 'text'],
    ['cancelledById', 'text'],
    ['createdAt', 'timestamp(3)'],
    ['retryOfId', 'text'],
  ],
  SessionEvent: [
    ['id', 'text'],
    ['orgId', 'text'],
    ['sessionId', 'text'],
    ['type', 'text'],
    ['at', 'timestamp(3)'],
    ['data', 'jsonb'],
    ['dedupeKey', 'text'],
  ],
  Intervention: [
    ['id', 'text'],
    ['orgId', 'text'],
    ['sessionId', 'text'],
    ['actorUserId', 'text'],
    ['kind', '"InterventionKind"'],
    ['message', 'text'],
    ['at', 'timestamp(3)'],
  ],
  PullRequest: [
    ['id', 'text'],
    ['orgId', 'text'],
    ['sessionId', 'text'],
    ['repositoryId', 'text'],
    ['forge', '"ForgeKind"'],
    ['number', 'integer'],
    ['url', 'text'],
    ['title', 'text'],
    ['body', 'text'],
    ['headBranch', 'text'],
    ['baseBranch', 'text'],
    ['state', '"PullRequestState"'],
    ['filesChanged', 'integer'],
    ['linesAdded', 'integer'],
    ['linesDeleted', 'integer'],
    ['headSha', 'text'],
    ['openedAt', 'timestamp(3)'],
    ['firstReviewAt', 'timestamp(3)'],
    ['mergedAt', 'timestamp(3)'],
    ['mergedBy', 'text'],
    ['mergeSha', 'text'],
    ['closedAt', 'timestamp(3)'],
  ],
} as const satisfies Record<string, readonly (readonly [string, string])[]>;

export type TableName = keyof typeof TABLES;
export const TABLE_ORDER = Object.keys(TABLES) as TableName[];

/** A UTC instant as `timestamp(3)` without time zone (how the schema stores time). */
export const timestamp = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString().slice(0, 23));

/** COPY's text format: backslash, tab, newline and carriage return escaped; \N is NULL. */
function copyField(value: Value): string {
  if (value === null) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

export function copyLines(rows: readonly Row[]): string {
  let out = '';
  for (const row of rows) out += `${row.map(copyField).join('\t')}\n`;
  return out;
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

export function copyStatement(table: TableName, target: string = quoteIdent(table)): string {
  return `COPY ${target} (${TABLES[table].map(([c]) => quoteIdent(c)).join(', ')}) FROM STDIN`;
}

/** INSERT … SELECT FROM unnest($1::type[], …): one statement for many rows, for servers without COPY FROM STDIN. */
export function insertStatement(table: TableName): { sql: string; params: (rows: readonly Row[]) => Value[][] } {
  const columns = TABLES[table];
  const casts = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
  return {
    sql: `INSERT INTO ${quoteIdent(table)} (${columns.map(([c]) => quoteIdent(c)).join(', ')}) SELECT * FROM unnest(${casts})`,
    params: (rows) => columns.map((_, i) => rows.map((row) => row[i] ?? null)),
  };
}
