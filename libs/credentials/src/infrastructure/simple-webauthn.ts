import { Inject, Injectable } from '@nestjs/common';
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { authConfig, AuthSettings } from '@app/core';
import { CredentialJson, Passkey, RegisteredCredential, VerifiedAssertion, WebAuthn, WebauthnRejectedError } from '../domain/passkeys';

/** ES256, EdDSA and RS256 (COSE -7, -8, -257): what platform and roaming authenticators offer. */
const ALGORITHMS = [-7, -8, -257];

const bytes = (base64url: string) => new Uint8Array(Buffer.from(base64url, 'base64url'));
const reason = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 200);

/**
 * WebAuthn with `@simplewebauthn/server`. Registration asks for a discoverable credential (resident
 * key required, so that usernameless sign-in works), user verification preferred, no attestation
 * (`none`: the service trusts no authenticator maker, it only needs the key). Verification checks
 * the challenge, the origin against WEBAUTHN_ORIGINS, the RP ID hash against WEBAUTHN_RP_ID, user
 * presence and the signature; user verification is reported, not required (the use case decides
 * what a sign-in without it is worth). The signature counter is enforced by the repository,
 * atomically, so the library is given 0 as the stored counter.
 */
@Injectable()
export class SimpleWebAuthn extends WebAuthn {
  constructor(@Inject(authConfig.KEY) private readonly config: AuthSettings) {
    super();
  }

  userHandle(userId: string): string {
    return Buffer.from(userId.replace(/-/g, ''), 'hex').toString('base64url');
  }

  async registrationOptions(input: {
    userId: string;
    userName: string;
    displayName: string;
    challenge: string;
    exclude: Pick<Passkey, 'credentialId' | 'transports'>[];
    timeoutSeconds: number;
  }): Promise<Record<string, unknown>> {
    const options = await generateRegistrationOptions({
      rpName: this.config.webauthnRpName,
      rpID: this.config.webauthnRpId,
      userID: bytes(this.userHandle(input.userId)),
      userName: input.userName,
      userDisplayName: input.displayName,
      challenge: bytes(input.challenge),
      timeout: input.timeoutSeconds * 1000,
      attestationType: 'none',
      excludeCredentials: input.exclude.map((p) => ({ id: p.credentialId.toString('base64url'), transports: p.transports })),
      authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'preferred' },
      supportedAlgorithmIDs: ALGORITHMS,
    });
    return options as unknown as Record<string, unknown>;
  }

  async verifyRegistration(credential: CredentialJson, expectedChallenge: string): Promise<RegisteredCredential> {
    let result: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
    try {
      result = await verifyRegistrationResponse({
        response: credential as unknown as RegistrationResponseJSON,
        expectedChallenge,
        expectedOrigin: this.config.webauthnOrigins,
        expectedRPID: this.config.webauthnRpId,
        expectedType: 'webauthn.create',
        requireUserPresence: true,
        requireUserVerification: false,
        supportedAlgorithmIDs: ALGORITHMS,
      });
    } catch (error) {
      throw new WebauthnRejectedError(reason(error));
    }
    if (!result.verified) throw new WebauthnRejectedError('registration not verified');
    const info = result.registrationInfo;
    return {
      credentialId: Buffer.from(info.credential.id, 'base64url'),
      publicKey: Buffer.from(info.credential.publicKey),
      signCount: info.credential.counter,
      transports: (info.credential.transports ?? []).filter((t) => typeof t === 'string').slice(0, 8),
      userVerified: info.userVerified,
    };
  }

  async authenticationOptions(input: { challenge: string; allow?: Pick<Passkey, 'credentialId' | 'transports'>[]; timeoutSeconds: number }): Promise<Record<string, unknown>> {
    const options = await generateAuthenticationOptions({
      rpID: this.config.webauthnRpId,
      challenge: bytes(input.challenge),
      timeout: input.timeoutSeconds * 1000,
      userVerification: 'preferred',
      allowCredentials: input.allow?.map((p) => ({ id: p.credentialId.toString('base64url'), transports: p.transports })),
    });
    return options as unknown as Record<string, unknown>;
  }

  async verifyAuthentication(credential: CredentialJson, expectedChallenge: string, passkey: Passkey): Promise<VerifiedAssertion> {
    // The authenticator names the account it holds the credential for: it must be the owner.
    const userHandle = credential.response.userHandle;
    if (userHandle !== undefined && userHandle !== null && userHandle !== '' && userHandle !== this.userHandle(passkey.userId)) {
      throw new WebauthnRejectedError('user handle does not match the credential');
    }
    let result: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
    try {
      result = await verifyAuthenticationResponse({
        response: credential as unknown as AuthenticationResponseJSON,
        expectedChallenge,
        expectedOrigin: this.config.webauthnOrigins,
        expectedRPID: this.config.webauthnRpId,
        expectedType: 'webauthn.get',
        credential: { id: passkey.credentialId.toString('base64url'), publicKey: new Uint8Array(passkey.publicKey), counter: 0, transports: passkey.transports },
        requireUserVerification: false,
      });
    } catch (error) {
      throw new WebauthnRejectedError(reason(error));
    }
    if (!result.verified) throw new WebauthnRejectedError('signature not verified');
    return { signCount: result.authenticationInfo.newCounter, userVerified: result.authenticationInfo.userVerified };
  }

  challengeOf(credential: CredentialJson): string | null {
    try {
      const clientData = JSON.parse(Buffer.from(credential.response.clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown };
      return typeof clientData.challenge === 'string' && /^[A-Za-z0-9_-]{1,128}$/.test(clientData.challenge) ? clientData.challenge : null;
    } catch {
      return null;
    }
  }
}
