import { INestApplication, RequestMethod } from '@nestjs/common';

export const API_PREFIX = 'api/v1';

/** REST under /api/v1; operations endpoints and the JWKS stay at the root where tools expect them. */
export function configureRouting(app: INestApplication): void {
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
      { path: '.well-known/jwks.json', method: RequestMethod.GET },
    ],
  });
}
