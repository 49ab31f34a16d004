import { Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock';
import { AppConfigModule } from './config';
import { ServerSecret } from './crypto';
import { BackgroundWork, ShutdownState } from './lifecycle';
import { MetricsService } from './metrics';

/** Cross-cutting services every feature may inject: configuration, clock, metrics, lifecycle (draining, background work), the server secret. */
@Global()
@Module({
  imports: [AppConfigModule],
  providers: [{ provide: Clock, useClass: SystemClock }, MetricsService, ShutdownState, BackgroundWork, ServerSecret],
  exports: [Clock, MetricsService, ShutdownState, BackgroundWork, ServerSecret],
})
export class CoreModule {}
