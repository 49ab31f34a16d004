export interface Session {
  id: string;
  userId: string;
  clientId: string;
  ip: string | null;
  userAgent: string | null;
  createdAt: Date;
  lastUsedAt: Date;
  /** Absolute end, fixed at login: rotation never extends it. */
  expiresAt: Date;
  revokedAt: Date | null;
  /** Authentication methods of the sign-in that opened it (RFC 8176), kept across refresh. */
  amr: string[];
}

/** Where a request came from, recorded on sessions (and audit events). */
export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
  /** Aborted when the client disconnects: work not yet started for it is skipped. */
  signal?: AbortSignal;
  /** When the server began receiving the request (before its body was read and validated). */
  receivedAt?: Date;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshExpiresIn: number;
}
