import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from './config';
import { Clock, SystemClock } from './clock';
import { AppConfigModule } from './config';
import { ServerSecret } from './crypto';
import { BackgroundWork, ProcessRole, ShutdownState } from './lifecycle';
import { MetricsService } from './metrics';

export interface CoreOptions {
  /** Parsed once by the entry point (`loadConfig`) and passed in. */
  config: AppConfig;
  /** The one source of time; tests pass a controllable clock. Default: the system clock. */
  clock?: Clock;
  /** The service (default) or a one-shot command (no delivery workers, no LISTEN connections). */
  role?: ProcessRole;
}

/** Cross-cutting services every feature may inject: configuration, clock, metrics, lifecycle (draining, background work), the server secret. */
@Module({})
export class CoreModule {
  static forRoot(options: CoreOptions): DynamicModule {
    return {
      module: CoreModule,
      global: true,
      imports: [AppConfigModule.forRoot(options.config)],
      providers: [
        { provide: Clock, useValue: options.clock ?? new SystemClock() },
        { provide: ProcessRole, useValue: options.role ?? ProcessRole.service },
        MetricsService,
        ShutdownState,
        BackgroundWork,
        ServerSecret,
      ],
      exports: [Clock, ProcessRole, MetricsService, ShutdownState, BackgroundWork, ServerSecret],
    };
  }
}
