import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor } from '@app/kernel';
import { ApiErrors, Authenticated } from '@app/core';
import { ListNotificationsUseCase } from '../application/list-notifications.use-case';
import { ListNotificationsQueryDto, NotificationListDto, toNotificationDto } from './notifications.dto';

@ApiTags('notifications')
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly listing: ListNotificationsUseCase) {}

  @Get()
  @Authenticated({ permission: 'notifications:read' })
  @ApiOperation({ summary: 'The notification log: every email and SMS, its delivery status and attempts (never its contents), newest first' })
  @ApiOkResponse({ description: 'A page of notification records, newest first', type: NotificationListDto })
  @ApiErrors('INVALID_CURSOR')
  async listNotifications(@CurrentActor() actor: Actor, @Query() query: ListNotificationsQueryDto): Promise<NotificationListDto> {
    const page = await this.listing.execute(actor, query);
    return { items: page.items.map(toNotificationDto), nextCursor: page.nextCursor };
  }
}
