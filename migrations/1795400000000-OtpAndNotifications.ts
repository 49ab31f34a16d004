import { MigrationInterface, QueryRunner } from 'typeorm';

export class OtpAndNotifications1795400000000 implements MigrationInterface {
  name = 'OtpAndNotifications1795400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "notifications" ("id" uuid NOT NULL, "channel" text NOT NULL, "template" text NOT NULL, "recipient" text NOT NULL, "status" text NOT NULL DEFAULT 'queued', "attempts" integer NOT NULL DEFAULT '0', "last_error" text, "leased_until" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "sent_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_notifications_channel" CHECK ("channel" IN ('email', 'sms')), CONSTRAINT "CHK_notifications_status" CHECK ("status" IN ('queued', 'sent', 'failed')), CONSTRAINT "PK_6a72c3c0f683f6462415e653c3a" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_notifications_created_id" ON "notifications"  ("created_at", "id") `);
    await queryRunner.query(`CREATE TABLE "otp_codes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "channel" text NOT NULL, "destination" text NOT NULL, "purpose" text NOT NULL, "code_hash" bytea NOT NULL, "failed_attempts" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "consumed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_otp_codes_purpose" CHECK ("purpose" IN ('register', 'login', 'verify', 'reset')), CONSTRAINT "CHK_otp_codes_channel" CHECK ("channel" IN ('sms', 'email')), CONSTRAINT "PK_9d0487965ac1837d57fec4d6a26" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_otp_codes_destination_created" ON "otp_codes"  ("destination", "created_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_otp_codes_target" ON "otp_codes"  ("destination", "channel", "purpose", "created_at") `);
    await queryRunner.query(`CREATE TABLE "one_time_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "purpose" text NOT NULL, "token_hash" bytea NOT NULL, "subject" text NOT NULL, "target" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_8e470cc9ffc1b2afa054304db17" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_one_time_tokens_hash" ON "one_time_tokens"  ("token_hash") `);
    await queryRunner.query(`CREATE INDEX "IDX_one_time_tokens_expires" ON "one_time_tokens"  ("expires_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_one_time_tokens_subject" ON "one_time_tokens"  ("purpose", "subject") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_one_time_tokens_subject"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_one_time_tokens_expires"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_one_time_tokens_hash"`);
    await queryRunner.query(`DROP TABLE "one_time_tokens"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_otp_codes_target"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_otp_codes_destination_created"`);
    await queryRunner.query(`DROP TABLE "otp_codes"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_notifications_created_id"`);
    await queryRunner.query(`DROP TABLE "notifications"`);
  }
}
