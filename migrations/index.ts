import { Init1763750000000 } from './1763750000000-Init';
import { AccountsAndSessions1795298629251 } from './1795298629251-AccountsAndSessions';
import { AuditLog1795300000000 } from './1795300000000-AuditLog';
import { OtpAndNotifications1795400000000 } from './1795400000000-OtpAndNotifications';
import { DeliveryQueue1795400000001 } from './1795400000001-DeliveryQueue';
import { Tasks1795500000000 } from './1795500000000-Tasks';
import { RoleNameScopes1795610000000 } from './1795610000000-RoleNameScopes';
import { TaskListIndexes1795620000100 } from './1795620000100-TaskListIndexes';
import { TaskDeletedByCascade1795620000200 } from './1795620000200-TaskDeletedByCascade';
import { RateLimits1795633370000 } from './1795633370000-RateLimits';
import { ListPaging1795986955185 } from './1795986955185-ListPaging';
import { OtpRecoveryBudget1795990000100 } from './1795990000100-OtpRecoveryBudget';
import { ContactChanges1795990000200 } from './1795990000200-ContactChanges';
import { SecondFactors1795990000300 } from './1795990000300-SecondFactors';
import { Passkeys1795991000100 } from './1795991000100-Passkeys';
import { ExternalIdentities1795992000100 } from './1795992000100-ExternalIdentities';

/** Every migration, in order. `npm run migration:generate` adds new ones here; a test checks the list is complete. */
export const MIGRATIONS = [
  Init1763750000000,
  AccountsAndSessions1795298629251,
  AuditLog1795300000000,
  OtpAndNotifications1795400000000,
  DeliveryQueue1795400000001,
  Tasks1795500000000,
  RoleNameScopes1795610000000,
  TaskListIndexes1795620000100,
  TaskDeletedByCascade1795620000200,
  RateLimits1795633370000,
  ListPaging1795986955185,
  OtpRecoveryBudget1795990000100,
  ContactChanges1795990000200,
  SecondFactors1795990000300,
  Passkeys1795991000100,
  ExternalIdentities1795992000100,
];
