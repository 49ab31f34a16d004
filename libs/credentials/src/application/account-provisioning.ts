import { Injectable } from '@nestjs/common';
import { RoleAssignments } from '@app/access';
import { AccountProvisioning } from '@app/users';
import { assertPasswordAcceptable } from '../domain/password-policy';
import { PasswordHasher } from '../domain/ports';

/** The users lib's provisioning port: the same password policy, hasher and default role as registration. */
@Injectable()
export class AuthAccountProvisioning extends AccountProvisioning {
  constructor(
    private readonly hasher: PasswordHasher,
    private readonly roles: RoleAssignments,
  ) {
    super();
  }

  async hashNewPassword(password: string, personal: (string | null | undefined)[]): Promise<string> {
    assertPasswordAcceptable(password, personal);
    return this.hasher.hash(password);
  }

  grantDefaultRoles(userId: string): Promise<void> {
    return this.roles.grantSystemRole(userId, 'user');
  }
}
