import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two-factor authentication (credentials lib): second factors (TOTP secrets sealed with AES-256-GCM,
 * the last accepted time step per factor), recovery codes (HMAC-SHA256 hashes), the pending second
 * step of sign-ins (mfaToken hashes), `users.mfa_enabled`, and the authentication methods of each
 * session (`sessions.amr`, RFC 8176; existing sessions were password logins or one-time-code logins,
 * recorded as `pwd`).
 */
export class SecondFactors1795990000300 implements MigrationInterface {
  name = 'SecondFactors1795990000300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "mfa_enabled" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "sessions" ADD "amr" text array NOT NULL DEFAULT '{pwd}'`);
    await queryRunner.query(
      `CREATE TABLE "mfa_factors" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "type" text NOT NULL, "name" text NOT NULL, "secret_box" bytea, "confirmed_at" TIMESTAMP WITH TIME ZONE, "last_step" bigint NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_mfa_factors" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_mfa_factors_user" ON "mfa_factors" ("user_id", "created_at") `);
    await queryRunner.query(
      `CREATE TABLE "mfa_recovery_codes" ("user_id" uuid NOT NULL, "code_hash" bytea NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_mfa_recovery_codes" PRIMARY KEY ("user_id", "code_hash"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "mfa_challenges" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "token_hash" bytea NOT NULL, "user_id" uuid NOT NULL, "client_id" text NOT NULL, "amr" text array NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_mfa_challenges" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_mfa_challenges_token" ON "mfa_challenges" ("token_hash") `);
    await queryRunner.query(`CREATE INDEX "IDX_mfa_challenges_expires" ON "mfa_challenges" ("expires_at") `);
    await queryRunner.query(`ALTER TABLE "mfa_factors" ADD CONSTRAINT "FK_mfa_factors_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "mfa_recovery_codes" ADD CONSTRAINT "FK_mfa_recovery_codes_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "mfa_challenges" ADD CONSTRAINT "FK_mfa_challenges_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "mfa_challenges"`);
    await queryRunner.query(`DROP TABLE "mfa_recovery_codes"`);
    await queryRunner.query(`DROP TABLE "mfa_factors"`);
    await queryRunner.query(`ALTER TABLE "sessions" DROP COLUMN "amr"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "mfa_enabled"`);
  }
}
