/** Where a request came from, recorded on sessions (and audit events). */
export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
  /** Aborted when the client disconnects: work not yet started for it is skipped. */
  signal?: AbortSignal;
  /** When the server began receiving the request (before its body was read and validated). */
  receivedAt?: Date;
}
