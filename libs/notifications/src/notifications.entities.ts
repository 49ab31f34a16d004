import { NotificationEntity } from './infrastructure/notification.entity';

/** The tables this lib owns, for the data source (apps/api/src/schema.ts). The entity classes stay in infrastructure/. */
export const NOTIFICATIONS_ENTITIES = [NotificationEntity];
