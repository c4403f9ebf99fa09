'use client';

import { useMutation } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTRPC } from '~/trpc/react.tsx';

/** Records the org being viewed as the last one used, so "/" returns here next time. */
export function RememberOrg(props: { orgId: string; lastOrgId: string | null }) {
  const trpc = useTRPC();
  const { mutate } = useMutation(trpc.viewer.setLastOrg.mutationOptions());
  useEffect(() => {
    if (props.orgId !== props.lastOrgId) mutate({ orgId: props.orgId });
  }, [props.orgId, props.lastOrgId, mutate]);
  return null;
}
