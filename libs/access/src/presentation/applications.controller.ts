import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditMeta, AuditOrigin } from '@app/audit';
import { ApiErrors, Authenticated } from '@app/core';
import { CurrentActor, pageLimit, PageQueryDto } from '@app/kernel';
import { ApplicationsUseCases } from '../application/applications.use-cases';
import type { Actor } from '@app/kernel';
import { ApplicationDto, ApplicationListDto, CreateApplicationDto, toApplicationDto, UpdateApplicationDto } from './access.dto';

@ApiTags('applications')
@Controller('applications')
export class ApplicationsController {
  constructor(private readonly apps: ApplicationsUseCases) {}

  @Get()
  @Authenticated({ permission: 'applications:write' })
  @ApiOperation({ summary: 'List applications (clients)' })
  @ApiOkResponse({ description: 'A page of applications, oldest first', type: ApplicationListDto })
  @ApiErrors('INVALID_CURSOR')
  async listApplications(@CurrentActor() actor: Actor, @Query() query: PageQueryDto): Promise<ApplicationListDto> {
    const page = await this.apps.list(actor, { limit: pageLimit(query), cursor: query.cursor });
    return { items: page.items.map(toApplicationDto), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @Authenticated({ permission: 'applications:write' })
  @ApiOperation({ summary: 'One application' })
  @ApiOkResponse({ description: 'The application', type: ApplicationDto })
  @ApiErrors('APPLICATION_NOT_FOUND', 'OUTSIDE_APPLICATION')
  async getApplication(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string): Promise<ApplicationDto> {
    return toApplicationDto(await this.apps.get(actor, id));
  }

  @Post()
  @Authenticated({ permission: 'applications:write' })
  @ApiOperation({ summary: 'Register an application (client)' })
  @ApiResponse({ status: 201, description: 'The new application', type: ApplicationDto })
  @ApiErrors('CLIENT_ID_TAKEN', 'OUTSIDE_APPLICATION', 'REDIRECT_URI_INVALID')
  async createApplication(@CurrentActor() actor: Actor, @AuditOrigin() origin: AuditMeta, @Body() body: CreateApplicationDto): Promise<ApplicationDto> {
    return toApplicationDto(await this.apps.create(actor, origin, body));
  }

  @Patch(':id')
  @Authenticated({ permission: 'applications:write' })
  @ApiOperation({ summary: 'Rename, activate or deactivate an application' })
  @ApiOkResponse({ description: 'The application as changed', type: ApplicationDto })
  @ApiErrors('APPLICATION_NOT_FOUND', 'DEFAULT_APPLICATION_PROTECTED', 'OUTSIDE_APPLICATION', 'REDIRECT_URI_INVALID')
  async updateApplication(@CurrentActor() actor: Actor, @AuditOrigin() origin: AuditMeta, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: UpdateApplicationDto): Promise<ApplicationDto> {
    return toApplicationDto(await this.apps.update(actor, origin, id, body));
  }

  @Delete(':id')
  @Authenticated({ permission: 'applications:write' })
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an application and its roles (not the default one)' })
  @ApiResponse({ status: 204, description: 'Application deleted' })
  @ApiErrors('APPLICATION_NOT_FOUND', 'DEFAULT_APPLICATION_PROTECTED', 'OUTSIDE_APPLICATION')
  async deleteApplication(@CurrentActor() actor: Actor, @AuditOrigin() origin: AuditMeta, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.apps.delete(actor, origin, id);
  }
}
