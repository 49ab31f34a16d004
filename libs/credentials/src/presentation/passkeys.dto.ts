import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDefined, IsIn, IsInt, IsObject, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { FactorDto } from './mfa.dto';

/** base64url as WebAuthn's JSON forms use it (padding tolerated). */
const B64URL = /^[A-Za-z0-9_-]*={0,2}$/;
const B64URL_MESSAGE = 'must be base64url';

class PasskeyCredentialBase {
  @ApiProperty({ description: 'The credential id, base64url', example: 'kR3aB7yS0lTnVJ0s2m9yWQ' })
  @IsString()
  @MinLength(1)
  @MaxLength(1400)
  @Matches(B64URL, { message: B64URL_MESSAGE })
  id: string;

  @ApiProperty({ description: 'The same id (base64url)', example: 'kR3aB7yS0lTnVJ0s2m9yWQ' })
  @IsString()
  @MinLength(1)
  @MaxLength(1400)
  @Matches(B64URL, { message: B64URL_MESSAGE })
  rawId: string;

  @ApiProperty({ enum: ['public-key'], example: 'public-key' })
  @IsIn(['public-key'])
  type: string;

  @ApiPropertyOptional({ enum: ['platform', 'cross-platform'], example: 'platform' })
  @IsOptional()
  @IsIn(['platform', 'cross-platform'])
  authenticatorAttachment?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'getClientExtensionResults(), as the browser gives it', example: {} })
  @IsOptional()
  @IsObject()
  clientExtensionResults?: Record<string, unknown>;
}

export class AttestationResponseDto {
  @ApiProperty({ description: 'base64url of the client data JSON (type webauthn.create, challenge, origin)', example: 'eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIiwiY2hhbGxlbmdlIjoi4oCmIn0' })
  @IsString()
  @MinLength(1)
  @MaxLength(4096)
  @Matches(B64URL, { message: B64URL_MESSAGE })
  clientDataJSON: string;

  @ApiProperty({ description: 'base64url of the CBOR attestation object (fmt, attStmt, authData)', example: 'o2NmbXRkbm9uZWdhdHRTdG10oGhhdXRoRGF0YVjF' })
  @IsString()
  @MinLength(1)
  @MaxLength(32768)
  @Matches(B64URL, { message: B64URL_MESSAGE })
  attestationObject: string;

  @ApiPropertyOptional({ description: 'base64url (getAuthenticatorData())' })
  @IsOptional()
  @IsString()
  @MaxLength(16384)
  @Matches(B64URL, { message: B64URL_MESSAGE })
  authenticatorData?: string;

  @ApiPropertyOptional({ type: [String], example: ['internal', 'hybrid'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(8)
  @IsString({ each: true })
  @MaxLength(32, { each: true })
  transports?: string[];

  @ApiPropertyOptional({ description: 'COSE algorithm (getPublicKeyAlgorithm())', example: -7 })
  @IsOptional()
  @IsInt()
  publicKeyAlgorithm?: number;

  @ApiPropertyOptional({ description: 'base64url SPKI (getPublicKey())' })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  @Matches(B64URL, { message: B64URL_MESSAGE })
  publicKey?: string;
}

export class AssertionResponseDto {
  @ApiProperty({ description: 'base64url of the client data JSON (type webauthn.get, challenge, origin)', example: 'eyJ0eXBlIjoid2ViYXV0aG4uZ2V0IiwiY2hhbGxlbmdlIjoi4oCmIn0' })
  @IsString()
  @MinLength(1)
  @MaxLength(4096)
  @Matches(B64URL, { message: B64URL_MESSAGE })
  clientDataJSON: string;

  @ApiProperty({ description: 'base64url of the authenticator data (RP ID hash, flags, counter)', example: 'SZYN5YgOjGh0NBcPZHZgW4_krrmihjLHmVzzuoMdl2MFAAAAAQ' })
  @IsString()
  @MinLength(37)
  @MaxLength(16384)
  @Matches(B64URL, { message: B64URL_MESSAGE })
  authenticatorData: string;

  @ApiProperty({ description: 'base64url of the signature over authenticatorData ‖ SHA-256(clientDataJSON)', example: 'MEUCIQDnZ3b0c2lnbmF0dXJlX2V4YW1wbGU' })
  @IsString()
  @MinLength(1)
  @MaxLength(2048)
  @Matches(B64URL, { message: B64URL_MESSAGE })
  signature: string;

  @ApiPropertyOptional({ description: 'base64url of the user handle the authenticator holds (discoverable credentials)', example: 'kRIQ4mSoT3Srlx9qB7yyMw' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  @Matches(B64URL, { message: B64URL_MESSAGE })
  userHandle?: string;
}

/** RegistrationResponseJSON: what `PublicKeyCredential.toJSON()` gives after navigator.credentials.create(). */
export class RegistrationResponseDto extends PasskeyCredentialBase {
  @ApiProperty({ type: AttestationResponseDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => AttestationResponseDto)
  response: AttestationResponseDto;
}

/** AuthenticationResponseJSON: what `PublicKeyCredential.toJSON()` gives after navigator.credentials.get(). */
export class AuthenticationResponseDto extends PasskeyCredentialBase {
  @ApiProperty({ type: AssertionResponseDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => AssertionResponseDto)
  response: AssertionResponseDto;
}

export class RegisterPasskeyDto {
  @ApiProperty({ type: RegistrationResponseDto, description: 'The browser’s answer to the registration options' })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => RegistrationResponseDto)
  credential: RegistrationResponseDto;

  @ApiPropertyOptional({ description: 'A name to tell factors apart (default "Passkey")', example: 'MacBook Touch ID', maxLength: 64 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  name?: string;
}

export class PasskeyAuthenticationOptionsRequestDto {
  @ApiPropertyOptional({
    description: 'With it: the second step of that sign-in, offering that user’s passkeys. Without: a discoverable-credential (usernameless) sign-in',
    example: 'mfa_Vt3nq0c2l1Yf8VxkJH0pZc6m0n2Q8m1xgk3J5s9yQ4E',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  mfaToken?: string;
}

export class PasskeyAuthenticationDto {
  @ApiProperty({ description: 'From the authentication options answer (single use, 5 minutes)', example: 'pkc_3q2-7wVn0a1Yx8VkJH0pZc6m0n2Q8m1xgk3J5s9yQ4E' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  challengeToken: string;

  @ApiProperty({ type: AuthenticationResponseDto, description: 'The browser’s answer to the authentication options' })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => AuthenticationResponseDto)
  credential: AuthenticationResponseDto;

  @ApiPropertyOptional({ description: 'The mfaToken the options were requested with (a passkey as the second factor)', example: 'mfa_Vt3nq0c2l1Yf8VxkJH0pZc6m0n2Q8m1xgk3J5s9yQ4E' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  mfaToken?: string;

  @ApiPropertyOptional({
    description: 'The application to sign in to (default: the default application); with an mfaToken, it must be the one the sign-in started in',
    example: 'default',
  })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  clientId?: string;
}

class RelyingPartyDto {
  @ApiProperty({ example: 'example.com' })
  id: string;

  @ApiProperty({ example: 'Identity' })
  name: string;
}

class WebauthnUserDto {
  @ApiProperty({ description: 'The user handle, base64url (opaque; not the username)', example: 'kRIQ4mSoT3Srlx9qB7yyMw' })
  id: string;

  @ApiProperty({ example: 'alice@example.com' })
  name: string;

  @ApiProperty({ example: 'Alice Liddell' })
  displayName: string;
}

class CredentialParameterDto {
  @ApiProperty({ example: 'public-key' })
  type: string;

  @ApiProperty({ description: 'COSE algorithm: -7 ES256, -8 EdDSA, -257 RS256', example: -7 })
  alg: number;
}

class CredentialDescriptorDto {
  @ApiProperty({ description: 'Credential id, base64url', example: 'kR3aB7yS0lTnVJ0s2m9yWQ' })
  id: string;

  @ApiProperty({ example: 'public-key' })
  type: string;

  @ApiPropertyOptional({ type: [String], example: ['internal', 'hybrid'] })
  transports?: string[];
}

class AuthenticatorSelectionDto {
  @ApiPropertyOptional({ example: 'required' })
  residentKey?: string;

  @ApiPropertyOptional({ example: true })
  requireResidentKey?: boolean;

  @ApiPropertyOptional({ example: 'preferred' })
  userVerification?: string;
}

/** PublicKeyCredentialCreationOptionsJSON (WebAuthn Level 3): pass to PublicKeyCredential.parseCreationOptionsFromJSON(). */
export class PasskeyCreationOptionsDto {
  @ApiProperty({ type: RelyingPartyDto })
  rp: RelyingPartyDto;

  @ApiProperty({ type: WebauthnUserDto })
  user: WebauthnUserDto;

  @ApiProperty({ description: 'base64url; remembered for this user for 5 minutes, single use', example: 'sL1yq0Q4m3h9Vb0a8pRz2WcUuXo5nT7eJk6dYfG1iHs' })
  challenge: string;

  @ApiProperty({ type: [CredentialParameterDto] })
  pubKeyCredParams: CredentialParameterDto[];

  @ApiPropertyOptional({ description: 'Milliseconds', example: 300000 })
  timeout?: number;

  @ApiPropertyOptional({ type: [CredentialDescriptorDto], description: 'The user’s passkeys already registered (an authenticator holding one refuses to make another)' })
  excludeCredentials?: CredentialDescriptorDto[];

  @ApiPropertyOptional({ type: AuthenticatorSelectionDto })
  authenticatorSelection?: AuthenticatorSelectionDto;

  @ApiPropertyOptional({ example: 'none' })
  attestation?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { credProps: true } })
  extensions?: Record<string, unknown>;

  @ApiPropertyOptional({ type: [String], example: [] })
  hints?: string[];
}

/** PublicKeyCredentialRequestOptionsJSON: pass to PublicKeyCredential.parseRequestOptionsFromJSON(). */
export class PasskeyRequestOptionsDto {
  @ApiProperty({ description: 'base64url', example: 'Qm9vN0c2cXJ0eUVfZ2VuZXJhdGVkX2NoYWxsZW5nZQ' })
  challenge: string;

  @ApiPropertyOptional({ description: 'Milliseconds', example: 300000 })
  timeout?: number;

  @ApiPropertyOptional({ example: 'example.com' })
  rpId?: string;

  @ApiPropertyOptional({ type: [CredentialDescriptorDto], description: 'Empty or absent for a discoverable sign-in; the user’s passkeys for a second factor' })
  allowCredentials?: CredentialDescriptorDto[];

  @ApiPropertyOptional({ example: 'preferred' })
  userVerification?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  extensions?: Record<string, unknown>;
}

export class PasskeyAuthenticationOptionsDto {
  @ApiProperty({ description: 'Send back with the browser’s answer (single use, 5 minutes)', example: 'pkc_3q2-7wVn0a1Yx8VkJH0pZc6m0n2Q8m1xgk3J5s9yQ4E' })
  challengeToken: string;

  @ApiProperty({ type: PasskeyRequestOptionsDto })
  options: PasskeyRequestOptionsDto;
}

export class RegisteredPasskeyDto {
  @ApiProperty({ type: FactorDto, example: { id: '5b0c2c1e-3f7a-4d59-9a57-0c1f0c7b6a11', type: 'webauthn', name: 'MacBook Touch ID', createdAt: '2026-11-29T23:50:00.000Z', lastUsedAt: null } })
  factor: FactorDto;

  @ApiProperty({ type: [String], description: 'When this is the first factor: 10 recovery codes, shown only now (else empty)', example: ['7K3M-Q9XD-2F8H', 'R4TN-0WVA-JC6P'] })
  recoveryCodes: string[];
}

export class RenameFactorDto {
  @ApiProperty({ description: 'The new name', example: 'YubiKey 5C', maxLength: 64 })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  @Matches(/\S/, { message: 'name must not be blank' })
  name: string;
}
