import { ApiProperty } from '@nestjs/swagger';
import type { User, UserStatus } from '../domain/user';

/** A user as clients see it: built field by field, so no secret can leak. */
export class UserResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'ada_l' })
  username: string;

  @ApiProperty({ type: String, nullable: true, example: 'ada@example.com' })
  email: string | null;

  @ApiProperty({ type: String, nullable: true, example: '+4712345678' })
  phone: string | null;

  @ApiProperty({ type: String, nullable: true })
  firstName: string | null;

  @ApiProperty({ type: String, nullable: true })
  lastName: string | null;

  @ApiProperty({ enum: ['pending', 'active', 'disabled'] })
  status: UserStatus;

  @ApiProperty({ description: 'Whether the email address has been verified' })
  emailVerified: boolean;

  @ApiProperty({ description: 'Whether the phone number has been verified' })
  phoneVerified: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  emailVerifiedAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  phoneVerifiedAt: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'A new email address asked for with PATCH /users/me: it replaces `email` once the link sent to it is opened' })
  pendingEmail: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'URL of the avatar image' })
  avatarUrl: string | null;

  @ApiProperty({ description: 'Two-factor authentication is on (at least one confirmed factor)', example: false })
  mfaEnabled: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export function toUserResponse(user: User, avatarUrl: (key: string) => string = (k) => `/api/v1/uploads/${k}`): UserResponse {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    phone: user.phone,
    firstName: user.firstName,
    lastName: user.lastName,
    status: user.status,
    emailVerified: user.emailVerifiedAt !== null,
    phoneVerified: user.phoneVerifiedAt !== null,
    emailVerifiedAt: user.emailVerifiedAt?.toISOString() ?? null,
    phoneVerifiedAt: user.phoneVerifiedAt?.toISOString() ?? null,
    pendingEmail: user.pendingEmail,
    avatarUrl: user.avatarKey ? avatarUrl(user.avatarKey) : null,
    mfaEnabled: user.mfaEnabled,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}
