import { Init1763750000000 } from './1763750000000-Init';
import { AccountsAndSessions1795298629251 } from './1795298629251-AccountsAndSessions';
import { AuditLog1795300000000 } from './1795300000000-AuditLog';

/** Every migration, in order. `npm run migration:generate` adds new ones here; a test checks the list is complete. */
export const MIGRATIONS = [
  Init1763750000000,
  AccountsAndSessions1795298629251,
  AuditLog1795300000000,
];
