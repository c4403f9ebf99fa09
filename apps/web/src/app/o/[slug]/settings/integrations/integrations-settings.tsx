'use client';

import { useCan } from '~/components/org-context.tsx';
import { AgentSecretsCard } from './agent-secrets-card.tsx';
import { GitHubWebhookCard } from './github-webhook-card.tsx';

export function IntegrationsSettings() {
  const managesIntegrations = useCan('org:update');
  const managesAgents = useCan('fleet:configure');
  if (!managesIntegrations && !managesAgents) return <p className="notice">Owners and admins manage integrations and agent secrets.</p>;
  return (
    <>
      {managesIntegrations ? <GitHubWebhookCard /> : null}
      {managesAgents ? <AgentSecretsCard /> : null}
    </>
  );
}
