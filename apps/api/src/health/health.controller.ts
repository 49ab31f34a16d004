import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { ApiErrors, Public, ShutdownState } from '@app/core';


@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly shutdown: ShutdownState,
  ) {}

  @Get('live')
  @Public()
  @ApiOperation({ summary: 'Liveness: the process is up' })
  @HealthCheck()
  @ApiOkResponse({ description: 'The process is up' })
  checkLiveness() {
    return this.health.check([]);
  }

  @Get('ready')
  @Public()
  @ApiOperation({ summary: 'Readiness: the database answers and the instance is not draining' })
  @HealthCheck()
  @ApiOkResponse({ description: 'The database answers and the instance is not draining' })
  @ApiErrors('NOT_READY')
  checkReadiness() {
    return this.health.check([
      () => {
        const indicator = this.indicators.check('lifecycle');
        return this.shutdown.isDraining ? indicator.down({ state: 'draining' }) : indicator.up({ state: 'serving' });
      },
      () => this.db.pingCheck('database', { timeout: 2000 }),
    ]);
  }
}
