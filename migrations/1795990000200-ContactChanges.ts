import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A new email address waits in `pending_email` until its link is opened (so that a change neither
 * reveals whose address it is nor takes it before it is proven), and contact changes are counted per
 * user in a fixed 24-hour window.
 */
export class ContactChanges1795990000200 implements MigrationInterface {
  name = 'ContactChanges1795990000200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "pending_email" text`);
    await queryRunner.query(`ALTER TABLE "users" ADD "contact_changes" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "users" ADD "contact_changes_since" TIMESTAMP WITH TIME ZONE`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "contact_changes_since"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "contact_changes"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "pending_email"`);
  }
}
