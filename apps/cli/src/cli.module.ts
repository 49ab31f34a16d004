import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, CoreModule, ProcessRole } from '@app/core';
import { FeaturesModule } from '../../api/src/features.module';

/**
 * The CLI's lean composition root: the same features and use cases as the API (commands call them with
 * the system actor), as a one-shot command — no HTTP server, no schedule, and with
 * `ProcessRole.command` no delivery workers (messages are queued for the service to deliver) and no
 * LISTEN connections.
 */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: CliModule, imports: [CoreModule.forRoot({ config, role: ProcessRole.command }), FeaturesModule] };
  }
}
