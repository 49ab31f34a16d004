import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import { IsEmail, IsInt, IsString, Max, Min, MinLength, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { Public } from '@app/core';
import { AppModule } from '../../apps/api/src/app.module';

class AddressDto {
  @IsString()
  @MinLength(2)
  city: string;
}

export class ProbeDto {
  @IsEmail()
  email: string;

  @IsInt()
  @Min(1)
  @Max(10)
  count: number;

  @ValidateNested()
  @Type(() => AddressDto)
  address: AddressDto;
}

/** Test-only routes that exercise the app's global pipeline (validation, errors, shutdown). */
@Controller('probe')
export class ProbeController {
  static releaseSlow?: () => void;

  @Post('validate')
  @Public()
  validate(@Body() body: ProbeDto) {
    return { ok: true, count: body.count };
  }

  @Get('crash')
  @Public()
  crash(): never {
    throw new Error('secret internal detail: connection string postgres://user:pw@db');
  }

  @Get('slow')
  @Public()
  async slow() {
    await new Promise<void>((resolve) => (ProbeController.releaseSlow = resolve));
    return { finished: true };
  }
}

@Module({ imports: [AppModule], controllers: [ProbeController] })
export class ProbeAppModule {}
