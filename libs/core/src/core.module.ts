import { Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock';
import { AppConfigModule } from './config';
import { ShutdownState } from './lifecycle';
import { MetricsService } from './metrics';

/** Cross-cutting services every feature may inject: configuration, clock, metrics, lifecycle. */
@Global()
@Module({
  imports: [AppConfigModule],
  providers: [{ provide: Clock, useClass: SystemClock }, MetricsService, ShutdownState],
  exports: [Clock, MetricsService, ShutdownState],
})
export class CoreModule {}
