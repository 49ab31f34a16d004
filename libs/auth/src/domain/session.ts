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

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshExpiresIn: number;
}
