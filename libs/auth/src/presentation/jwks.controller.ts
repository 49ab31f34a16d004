import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@app/core';
import { PublicKeySet } from '../domain/ports';
import { JwksDto } from './auth.dto';

@ApiTags('auth')
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: PublicKeySet) {}

  @Get('jwks.json')
  @Public()
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: 'Public keys that verify access tokens (RFC 7517)' })
  @ApiOkResponse({ description: 'The JSON Web Key Set (cacheable for 5 minutes)', type: JwksDto })
  getJwks(): JwksDto {
    return this.keys.jwks() as unknown as JwksDto;
  }
}
