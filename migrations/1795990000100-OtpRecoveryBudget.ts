import { MigrationInterface, QueryRunner } from 'typeorm';

/** Who asked for a recovery code: the daily budget of recovery codes is counted per requester. */
export class OtpRecoveryBudget1795990000100 implements MigrationInterface {
  name = 'OtpRecoveryBudget1795990000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "otp_codes" ADD "requester" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "otp_codes" DROP COLUMN "requester"`);
  }
}
