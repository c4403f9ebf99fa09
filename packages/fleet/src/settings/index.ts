export { listRepositories, saveRepository, ZRepositoryInput, type TRepositoryInput } from './repositories.ts';
export { listAgentProfiles, sandboxStatus, saveAgentProfile, ZAgentProfileInput, type TAgentProfileInput } from './agent-profiles.ts';
export { listSlaPolicies, setSlaPolicy } from './sla-policies.ts';
