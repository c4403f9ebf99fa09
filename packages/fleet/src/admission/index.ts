export { chooseAdmissions, queuePositions, type QueuedSession, type Caps } from './choose-admissions.ts';
export { admitNext, getQueuePositions, SLOT_HOLDING, type Admitted } from './admit-next.ts';
