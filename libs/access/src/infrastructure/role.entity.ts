import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { ApplicationEntity } from './application.entity';

@Entity('roles')
// Names are unique per application (NULL = global), case-insensitively, and one name belongs to one
// scope (a trigger); `app:` starts the token name of an application's role. See the migrations.
@Index('UQ_roles_name_application', { synchronize: false })
@Check('CHK_roles_name_not_qualified', `"name" !~* '^app:'`)
@Index('IDX_roles_created_id', ['createdAt', 'id'])
export class RoleEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  permissions: string[];

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ type: 'boolean', default: false })
  system: boolean;

  @Column({ name: 'application_id', type: 'uuid', nullable: true })
  applicationId: string | null;

  @ManyToOne(() => ApplicationEntity, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'application_id' })
  application?: ApplicationEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
