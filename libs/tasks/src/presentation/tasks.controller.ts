import { Body, Controller, Delete, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Actor, CurrentActor, pageLimit, PageQueryDto } from '@app/kernel';
import { ApiErrors, Authenticated, ValidationFailedError } from '@app/core';
import { CreateTaskUseCase } from '../application/create-task.use-case';
import { DeleteTaskUseCase } from '../application/delete-task.use-case';
import { GetTaskHistoryUseCase } from '../application/get-task-history.use-case';
import { GetTaskUseCase } from '../application/get-task.use-case';
import { ListTasksUseCase } from '../application/list-tasks.use-case';
import { UpdateTaskUseCase } from '../application/update-task.use-case';
import { Task, TASK_DEFAULTS } from '../domain/task';
import { parseSort } from '../domain/task-query';
import { etagOf, parseIfMatch } from './etag';
import { CreateTaskDto, ListTasksQueryDto, ReplaceTaskDto, UpdateTaskDto } from './task.dto';
import { TaskHistoryResponse, TaskListResponse, TaskResponse, toTaskEventResponse, toTaskResponse } from './task.response';

const ETAG_HEADER = { ETag: { description: 'The task version, for `If-Match`', schema: { type: 'string', example: '"3"' } } };
const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description: 'ETag of the version the change is based on; a stale one answers 412 VERSION_CONFLICT',
} as const;

/**
 * Tasks: the owner reads and writes, the assignee reads and changes the status, `tasks:*:any`
 * reaches every task; a task the caller may not see answers 404.
 */
@ApiTags('tasks')
@Controller('tasks')
export class TasksController {
  constructor(
    private readonly lister: ListTasksUseCase,
    private readonly getter: GetTaskUseCase,
    private readonly creator: CreateTaskUseCase,
    private readonly updater: UpdateTaskUseCase,
    private readonly deleter: DeleteTaskUseCase,
    private readonly historian: GetTaskHistoryUseCase,
  ) {}

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'Tasks the caller may see: filters, sort, keyset cursor paging' })
  @ApiOkResponse({ description: 'A page of tasks in the order asked for', type: TaskListResponse })
  @ApiErrors('INVALID_CURSOR')
  async listTasks(@CurrentActor() actor: Actor, @Query() query: ListTasksQueryDto): Promise<TaskListResponse> {
    const sort = parseSort(query.sort);
    if (!sort) throw new ValidationFailedError('Unknown sort', [{ field: 'sort', message: 'unknown sort' }]);
    const page = await this.lister.execute(actor, {
      status: query.status,
      assigneeId: query.assigneeId,
      ownerId: query.ownerId,
      q: query.q,
      dueBefore: query.dueBefore,
      dueAfter: query.dueAfter,
      sort,
      limit: pageLimit(query),
      cursor: query.cursor,
    });
    return { items: page.items.map(toTaskResponse), nextCursor: page.nextCursor };
  }

  @Post()
  @Authenticated()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a task owned by the caller' })
  @ApiCreatedResponse({ description: 'The new task; ETag carries its version', type: TaskResponse, headers: ETAG_HEADER })
  @ApiErrors('ASSIGNEE_NOT_FOUND')
  async createTask(@CurrentActor() actor: Actor, @Body() body: CreateTaskDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<TaskResponse> {
    return respond(reply, await this.creator.execute(actor, body));
  }

  @Get(':id')
  @Authenticated()
  @ApiOperation({ summary: 'One task' })
  @ApiOkResponse({ description: 'The task; ETag carries its version', type: TaskResponse, headers: ETAG_HEADER })
  @ApiErrors('TASK_NOT_FOUND')
  async getTask(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<TaskResponse> {
    return respond(reply, await this.getter.execute(actor, id));
  }

  @Put(':id')
  @Authenticated()
  @ApiOperation({ summary: 'Replace a task (fields left out take their defaults)' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ description: 'The task as replaced; ETag carries its new version', type: TaskResponse, headers: ETAG_HEADER })
  @ApiErrors('TASK_NOT_FOUND', 'TASK_EDIT_FORBIDDEN', 'ASSIGNEE_NOT_FOUND', 'VERSION_CONFLICT')
  async replaceTask(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ReplaceTaskDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaskResponse> {
    const fields = { ...TASK_DEFAULTS, ...body };
    return respond(reply, await this.updater.execute(actor, id, fields, parseIfMatch(ifMatch)));
  }

  @Patch(':id')
  @Authenticated()
  @ApiOperation({ summary: 'Change some fields of a task (an assignee may change only the status)' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ description: 'The task as changed; ETag carries its new version', type: TaskResponse, headers: ETAG_HEADER })
  @ApiErrors('TASK_NOT_FOUND', 'TASK_EDIT_FORBIDDEN', 'ASSIGNEE_NOT_FOUND', 'VERSION_CONFLICT')
  async updateTask(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateTaskDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaskResponse> {
    return respond(reply, await this.updater.execute(actor, id, body, parseIfMatch(ifMatch)));
  }

  @Delete(':id')
  @Authenticated()
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a task (owner or tasks:write:any)' })
  @ApiHeader(IF_MATCH)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors('TASK_NOT_FOUND', 'TASK_EDIT_FORBIDDEN', 'VERSION_CONFLICT')
  async deleteTask(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Headers('if-match') ifMatch: string | undefined): Promise<void> {
    await this.deleter.execute(actor, id, parseIfMatch(ifMatch));
  }

  @Get(':id/history')
  @Authenticated()
  @ApiOperation({ summary: 'Who changed what and when: the task’s event log, oldest first' })
  @ApiOkResponse({ description: 'A page of the task’s events, oldest first', type: TaskHistoryResponse })
  @ApiErrors('TASK_NOT_FOUND', 'INVALID_CURSOR')
  async getTaskHistory(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Query() query: PageQueryDto): Promise<TaskHistoryResponse> {
    const page = await this.historian.execute(actor, id, { limit: pageLimit(query), cursor: query.cursor });
    return { items: page.items.map(toTaskEventResponse), nextCursor: page.nextCursor };
  }
}

function respond(reply: FastifyReply, task: Task): TaskResponse {
  reply.header('ETag', etagOf(task.version));
  return toTaskResponse(task);
}
