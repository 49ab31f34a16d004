import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageDto, PageQueryDto } from '@app/kernel';
import { CHANNELS, NOTIFICATION_STATUSES, TEMPLATE_NAMES } from '../domain/notification';
import type { Channel, NotificationRecord, NotificationStatus, TemplateName } from '../domain/notification';

export class ListNotificationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: NOTIFICATION_STATUSES })
  @IsOptional()
  @IsIn(NOTIFICATION_STATUSES)
  status?: NotificationStatus;

  @ApiPropertyOptional({ enum: CHANNELS })
  @IsOptional()
  @IsIn(CHANNELS)
  channel?: Channel;
}

export class NotificationDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: CHANNELS })
  channel: Channel;

  @ApiProperty({ enum: TEMPLATE_NAMES })
  template: TemplateName;

  @ApiProperty({ description: 'Email address or phone number (E.164)', example: 'ada@example.com' })
  recipient: string;

  @ApiProperty({ enum: NOTIFICATION_STATUSES })
  status: NotificationStatus;

  @ApiProperty({ description: 'Delivery attempts made so far', example: 1 })
  attempts: number;

  @ApiProperty({ type: String, nullable: true, description: 'Why the last attempt failed (never the message contents)' })
  lastError: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  sentAt: string | null;
}

export class NotificationListDto extends PageDto {
  @ApiProperty({ type: [NotificationDto] })
  items: NotificationDto[];
}

export function toNotificationDto(n: NotificationRecord): NotificationDto {
  return {
    id: n.id,
    channel: n.channel,
    template: n.template,
    recipient: n.recipient,
    status: n.status,
    attempts: n.attempts,
    lastError: n.lastError,
    createdAt: n.createdAt.toISOString(),
    sentAt: n.sentAt?.toISOString() ?? null,
  };
}
