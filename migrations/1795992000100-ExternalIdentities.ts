import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in with external identity providers (federation lib): the identities linked to accounts (one
 * per provider subject, one per provider and user), the flows waiting for a provider's callback
 * (single use, short-lived, found by the hash of the state the service sent), and the one-time codes
 * handed to applications (hash only, single use, 60 s). Applications gain their exact redirect URIs
 * (access lib).
 */
export class ExternalIdentities1795992000100 implements MigrationInterface {
  name = 'ExternalIdentities1795992000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "applications" ADD "redirect_uris" text array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(
      `CREATE TABLE "identities" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "provider" text NOT NULL, "subject" text NOT NULL, "email" text, "email_verified" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_identities" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_identities_provider_subject" ON "identities" ("provider", "subject")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_identities_user_provider" ON "identities" ("user_id", "provider")`);
    await queryRunner.query(`CREATE INDEX "IDX_identities_user_created" ON "identities" ("user_id", "created_at", "id")`);
    await queryRunner.query(`ALTER TABLE "identities" ADD CONSTRAINT "FK_identities_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(
      `CREATE TABLE "provider_flows" ("state_hash" bytea NOT NULL, "provider" text NOT NULL, "purpose" text NOT NULL, "client_id" text NOT NULL, "redirect_uri" text NOT NULL, "app_state" text, "code_challenge" text, "nonce" text NOT NULL, "code_verifier" text NOT NULL, "user_id" uuid, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_provider_flows" PRIMARY KEY ("state_hash"), CONSTRAINT "CHK_provider_flows_purpose" CHECK ("purpose" IN ('sign_in', 'link')))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_provider_flows_expires" ON "provider_flows" ("expires_at")`);
    await queryRunner.query(`ALTER TABLE "provider_flows" ADD CONSTRAINT "FK_provider_flows_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(
      `CREATE TABLE "provider_codes" ("code_hash" bytea NOT NULL, "user_id" uuid NOT NULL, "provider" text NOT NULL, "client_id" text NOT NULL, "redirect_uri" text NOT NULL, "code_challenge" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_provider_codes" PRIMARY KEY ("code_hash"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_provider_codes_expires" ON "provider_codes" ("expires_at")`);
    await queryRunner.query(`ALTER TABLE "provider_codes" ADD CONSTRAINT "FK_provider_codes_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "provider_codes"`);
    await queryRunner.query(`DROP TABLE "provider_flows"`);
    await queryRunner.query(`DROP TABLE "identities"`);
    await queryRunner.query(`ALTER TABLE "applications" DROP COLUMN "redirect_uris"`);
  }
}
