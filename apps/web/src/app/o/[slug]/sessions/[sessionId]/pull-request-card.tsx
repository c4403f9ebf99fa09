'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { FormMessage, readFormErrors } from '~/components/form.tsx';
import { useCan, useOrg } from '~/components/org-context.tsx';
import { useTRPC } from '~/trpc/react.tsx';
import { formatDateTime } from '~/components/format.ts';
import { PullRequestStateBadge } from '~/components/sessions/status.tsx';
import type { SessionDetail } from './session-view.tsx';

type PullRequest = NonNullable<SessionDetail['pullRequest']>;

/** The session's PR: where it is, what it changed, and what became of it. */
export function PullRequestCard(props: {
  sessionId: string;
  pullRequest: PullRequest;
  nameOf: (userId: string | null | undefined) => string;
}) {
  const { pullRequest: pr, nameOf } = props;
  const isWeb = /^https?:\/\//.test(pr.url);
  return (
    <section className="card" id="pull-request" aria-label="Pull request" data-testid="pull-request">
      <div className="card-header">
        <div>
          <h2>
            {isWeb ? (
              <a href={pr.url} target="_blank" rel="noreferrer">
                Pull request #{pr.number}
              </a>
            ) : (
              `Pull request #${pr.number}`
            )}
          </h2>
          <p className="muted">
            {pr.forge === 'GITHUB' ? 'On GitHub' : 'On the built-in local forge'} · opened {formatDateTime(pr.openedAt)}
          </p>
        </div>
        <PullRequestStateBadge state={pr.state} />
      </div>
      <div className="card-body">
        <strong>{pr.title}</strong>
        <dl className="facts">
          <dt>Branch</dt>
          <dd>
            <code>{pr.headBranch}</code> → <code>{pr.baseBranch}</code>
          </dd>
          <dt>Changes</dt>
          <dd>
            {pr.filesChanged} {pr.filesChanged === 1 ? 'file' : 'files'}, <span className="diff-added">+{pr.linesAdded}</span>{' '}
            <span className="diff-deleted">−{pr.linesDeleted}</span>
          </dd>
          {pr.mergedAt ? (
            <>
              <dt>Merged</dt>
              <dd>
                {formatDateTime(pr.mergedAt)}
                {pr.mergedBy ? ` by ${pr.forge === 'GITHUB' ? pr.mergedBy : nameOf(pr.mergedBy)}` : ''}
              </dd>
            </>
          ) : pr.closedAt ? (
            <>
              <dt>Closed</dt>
              <dd>{formatDateTime(pr.closedAt)}</dd>
            </>
          ) : null}
        </dl>
        {pr.forge === 'LOCAL' && pr.state === 'OPEN' ? <LocalReview sessionId={props.sessionId} /> : null}
        {pr.body ? (
          <details className="pr-description" open>
            <summary>Description</summary>
            <pre>{pr.body}</pre>
          </details>
        ) : null}
      </div>
    </section>
  );
}

/** The built-in forge has no web UI of its own: its PRs are merged (a real merge commit) or closed here. */
function LocalReview(props: { sessionId: string }) {
  const { orgId } = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canDecide = useCan('sessions:dispatch');
  const decide = useMutation(
    trpc.session.decidePullRequest.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.session.get.queryKey({ orgId, sessionId: props.sessionId }) }),
    }),
  );
  if (!canDecide) return null;
  const error = readFormErrors(decide.error).message;
  return (
    <div className="form-actions">
      <button
        type="button"
        className="button button-primary"
        disabled={decide.isPending}
        onClick={() => decide.mutate({ orgId, sessionId: props.sessionId, decision: 'merge' })}
      >
        {decide.isPending && decide.variables?.decision === 'merge' ? 'Merging…' : 'Merge pull request'}
      </button>
      <button
        type="button"
        className="button"
        disabled={decide.isPending}
        onClick={() => decide.mutate({ orgId, sessionId: props.sessionId, decision: 'close' })}
      >
        Close without merging
      </button>
      <FormMessage message={error} />
    </div>
  );
}
