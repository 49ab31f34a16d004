import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Passkeys (credentials lib): a passkey is a second factor (`mfa_factors.type = 'webauthn'`) with its
 * credential id (unique: one credential belongs to one account), COSE public key, signature counter
 * and transports; the WebAuthn challenges handed out (single use, short-lived, bound to their purpose,
 * user and — for a second factor — mfaToken; an authentication challenge is found by the hash of its
 * challengeToken); and, on the pending second step of a sign-in, the factor that was the first step
 * (a passkey without user verification must not count twice).
 */
export class Passkeys1795991000100 implements MigrationInterface {
  name = 'Passkeys1795991000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "mfa_factors" ADD "credential_id" bytea`);
    await queryRunner.query(`ALTER TABLE "mfa_factors" ADD "public_key" bytea`);
    await queryRunner.query(`ALTER TABLE "mfa_factors" ADD "sign_count" bigint NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "mfa_factors" ADD "transports" text array`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_mfa_factors_credential" ON "mfa_factors" ("credential_id") `);
    await queryRunner.query(`ALTER TABLE "mfa_challenges" ADD "first_factor_id" uuid`);
    await queryRunner.query(
      `CREATE TABLE "webauthn_challenges" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "challenge" text NOT NULL, "purpose" text NOT NULL, "user_id" uuid, "mfa_challenge_id" uuid, "token_hash" bytea, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_webauthn_challenges" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_webauthn_challenges_challenge" ON "webauthn_challenges" ("challenge") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_webauthn_challenges_token" ON "webauthn_challenges" ("token_hash") `);
    await queryRunner.query(`CREATE INDEX "IDX_webauthn_challenges_expires" ON "webauthn_challenges" ("expires_at") `);
    await queryRunner.query(
      `ALTER TABLE "webauthn_challenges" ADD CONSTRAINT "FK_webauthn_challenges_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "webauthn_challenges" ADD CONSTRAINT "FK_webauthn_challenges_mfa_challenge" FOREIGN KEY ("mfa_challenge_id") REFERENCES "mfa_challenges"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "webauthn_challenges"`);
    await queryRunner.query(`ALTER TABLE "mfa_challenges" DROP COLUMN "first_factor_id"`);
    await queryRunner.query(`DROP INDEX "UQ_mfa_factors_credential"`);
    await queryRunner.query(`ALTER TABLE "mfa_factors" DROP COLUMN "transports"`);
    await queryRunner.query(`ALTER TABLE "mfa_factors" DROP COLUMN "sign_count"`);
    await queryRunner.query(`ALTER TABLE "mfa_factors" DROP COLUMN "public_key"`);
    await queryRunner.query(`ALTER TABLE "mfa_factors" DROP COLUMN "credential_id"`);
  }
}
