import { CursorCodec, cursorField } from '@app/kernel';

/** Roles and applications are listed oldest first: `created_at` (microseconds) and `id`. */
export const CREATED_CURSOR = new CursorCodec(cursorField.timestamp(), cursorField.uuid());
