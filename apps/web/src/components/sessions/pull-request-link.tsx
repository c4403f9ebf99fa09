import type { PullRequestState } from '@parallax/db';
import Link from 'next/link';
import { PullRequestStateBadge } from './status.tsx';

/**
 * A PR on GitHub links out; one on the built-in local forge has no web page of its own,
 * so it links to its card on the session page.
 */
export function PullRequestLink(props: {
  pullRequest: { number: number; url: string; state: PullRequestState };
  sessionHref: string;
  showState?: boolean;
}) {
  const { number, url, state } = props.pullRequest;
  const isWeb = /^https?:\/\//.test(url);
  const label = `PR #${number}`;
  return (
    <span className="pr-link">
      {isWeb ? (
        <a href={url} target="_blank" rel="noreferrer" title={url}>
          {label}
        </a>
      ) : (
        <Link href={`${props.sessionHref}#pull-request`} title="On the local forge">
          {label}
        </Link>
      )}
      {props.showState === false ? null : <PullRequestStateBadge state={state} />}
    </span>
  );
}
